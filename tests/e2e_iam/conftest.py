"""End-to-end runs with every AWS call checked against the role that made it.

The real CDK app is synthesized once for this package. The `stack` fixture provisions it into
an embedded cloud with `iam_check=True`; every test that uses it fails if a call made during
the test would be refused by the deployed roles, and the package fails if any call made while
the stack was up would be (calls that finish after a test, e.g. a job's last upload).
moto keeps one state per process, so one cloud at a time: `narrowed_template` clouds must not
run while `stack` is up (the modules are ordered so; a guard says so if not).
"""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from mlops.localcloud.server import EmbeddedCloud
from mlops.localcloud.synth import synthesize
from tests.e2e.harness import STACK_NAME, Stack

CONFIG = Path(__file__).resolve().parents[1] / "e2e" / "three_models.json"
_running: list[str] = []


@pytest.fixture(scope="package")
def cdk_out(tmp_path_factory) -> Path:
    return synthesize(CONFIG, tmp_path_factory.mktemp("cdk.out"), context={"poll_seconds": 1})


@contextmanager
def checked_stack(cdk_out_dir: Path, workdir: Path, name: str):
    """An embedded cloud with the IAM check on, the stack in `cdk_out_dir` provisioned in it."""
    if _running:
        raise RuntimeError(f"embedded cloud {_running[0]} is still up: moto has one state per process")
    cloud = EmbeddedCloud(region="us-east-1", workdir=workdir, iam_check=True).start()
    _running.append(name)
    try:
        deployment = cloud.deploy(cdk_out_dir, STACK_NAME)
        yield Stack(cloud, deployment.outputs)
    finally:
        _running.remove(name)
        cloud.stop()


@pytest.fixture(scope="package")
def stack(cdk_out, tmp_path_factory):
    with checked_stack(cdk_out, tmp_path_factory.mktemp("cloud"), "stack") as deployed:
        yield deployed
        deployed.cloud.bus.wait_idle()
        deployed.cloud.iam.assert_allowed()


@pytest.fixture(autouse=True)
def no_refused_calls(request):
    """Fail the test that made a call the deployed roles would be refused."""
    if "stack" not in request.fixturenames:
        yield
        return
    iam = request.getfixturevalue("stack").cloud.iam
    mark = iam.mark()
    yield
    found = iam.findings(since=mark)
    if not found.ok:
        pytest.fail(found.text(), pytrace=False)


def narrowed_template(cdk_out_dir: Path, destination: Path, edit) -> Path:
    """A copy of `cdk_out_dir` whose template `edit(template)` changed in place."""
    shutil.copytree(cdk_out_dir, destination)
    path = destination / f"{STACK_NAME}.template.json"
    template = json.loads(path.read_text())
    edit(template)
    path.write_text(json.dumps(template))
    return destination

