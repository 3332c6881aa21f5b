"""The project's own CDK app (`python app.py`, config/dev.json): every resource type it
synthesizes is on the provisioner's list, and the stack provisions with the contract's outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from mlops.localcloud import assets
from mlops.localcloud.provisioner import IGNORED_RESOURCE_TYPES, SUPPORTED_RESOURCE_TYPES, provision
from mlops.localcloud.synth import REPO_ROOT, synthesize

CONFIG = REPO_ROOT / "config" / "dev.json"
STACK = "MlopsStack"

pytestmark = pytest.mark.skipif(not (REPO_ROOT / "app.py").exists(), reason="the CDK app is not there yet")


@pytest.fixture(scope="module")
def cdk_out(tmp_path_factory) -> Path:
    return synthesize(CONFIG, tmp_path_factory.mktemp("cdk.out"))


@pytest.fixture(scope="module")
def endpoint_url():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_every_resource_type_of_the_app_is_supported(cdk_out):
    template = json.loads((cdk_out / f"{STACK}.template.json").read_text())
    types = {r["Type"] for r in template["Resources"].values()}
    assert types - IGNORED_RESOURCE_TYPES - SUPPORTED_RESOURCE_TYPES == set()


def test_the_app_provisions_with_its_outputs(cdk_out, endpoint_url):
    deployment = provision(cdk_out, STACK, endpoint_url=endpoint_url, region="us-east-1")
    assert {"DataBucketName", "TrainingPipelineArn"} <= set(deployment.outputs)
    assert deployment.functions() and deployment.state_machines() and deployment.rules()
    layer_assets = [p for p in deployment.assets if p.status == assets.LAYER_PLACEHOLDER]
    layers = deployment.of_type("AWS::Lambda::LayerVersion")
    assert len(layer_assets) == len({r.properties["Content"]["S3Key"] for r in layers.values()})
