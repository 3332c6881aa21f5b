"""AWS-owned images the embedded cloud can stand in for, by ECR repository name.

A job that names such an image without a ContainerEntrypoint runs the image's own entrypoint
on SageMaker. Locally that entrypoint is a script of the embedded cloud: Model Monitor's
analyzer (`sagemaker-model-monitor-analyzer`, any account and region) is
`mlops/localcloud/model_monitor/analyzer_main.py`. Its `/opt/ml` argument is rebased under the
job's root like any container argument.
"""

from __future__ import annotations

from pathlib import Path

_MODEL_MONITOR = Path(__file__).resolve().parents[1] / "model_monitor" / "analyzer_main.py"
ENTRYPOINTS = {"sagemaker-model-monitor-analyzer": ["python3", str(_MODEL_MONITOR), "--opt-ml", "/opt/ml"]}


def repository(image_uri: str) -> str:
    """`<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@digest]` -> `<repository>`."""
    path = (image_uri or "").split("/", 1)[-1]
    return path.split("@", 1)[0].split(":", 1)[0]


def default_entrypoint(image_uri: str) -> list[str] | None:
    """The stand-in for the image's own entrypoint, or None when the embedded cloud has none."""
    command = ENTRYPOINTS.get(repository(image_uri))
    return list(command) if command else None
