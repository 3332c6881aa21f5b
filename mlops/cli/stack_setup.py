"""Config -> synthesized template -> stack provisioned in the embedded cloud."""

from __future__ import annotations

import tempfile
from pathlib import Path

from mlops.config import ConfigError, StageConfig, load_config
from mlops.cli.output import Progress, fail
from mlops.localcloud.server import EmbeddedCloud
from mlops.localcloud.synth import SynthError, synthesize


def load_or_fail(config_path: Path) -> StageConfig:
    try:
        return load_config(config_path)
    except ConfigError as exc:
        fail(str(exc), code=2)


def start_stack(config_path: Path, config: StageConfig, *, port: int, poll_seconds: int,
                progress: Progress) -> tuple[EmbeddedCloud, dict[str, str]]:
    cloud = EmbeddedCloud(region=config.region, port=port).start()
    progress.step(f"embedded cloud listening on {cloud.endpoint_url}")
    cdk_out = Path(tempfile.mkdtemp(prefix="cdk.out-", dir=cloud.workdir))
    try:
        synthesize(config_path.resolve(), cdk_out, context={"poll_seconds": poll_seconds})
    except SynthError as exc:
        cloud.stop()
        fail(f"synthesizing the stack failed:\n{exc}", code=2)
    progress.step(f"synthesized stack {config.stack_name}")
    deployment = cloud.deploy(cdk_out, config.stack_name)
    progress.step(f"provisioned {len(deployment.resources)} resources")
    return cloud, deployment.outputs
