"""A stage whose models all have serving disabled gets no deployment machinery at all."""

from __future__ import annotations

import copy
import json

import pytest

from tests.infra.conftest import TWO_MODELS


@pytest.fixture(scope="module")
def template(source_root, tmp_path_factory) -> dict:
    import aws_cdk as cdk

    from infra import application
    from mlops.config import parse_config

    raw = copy.deepcopy(TWO_MODELS)
    for model in raw["models"]:
        model["serving"] = {"enabled": False}
    config = parse_config(raw)
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(outdir=str(outdir))
    application.configure(app)
    application.build(app, config, source_root=source_root)
    app.synth()
    return json.loads((outdir / f"{config.stack_name}.template.json").read_text())


def test_no_endpoint_means_no_pipeline_trigger_alarm_or_output(template):
    ids = set(template["Resources"])
    assert not [i for i in ids if i.startswith(("DeploymentPipeline", "ApprovalTrigger", "EndpointAlarms",
                                                "StartDeployment", "CheckCapacity", "CompareShadow"))]
    assert not [name for name in template["Outputs"] if name.startswith(("DeploymentPipeline", "EndpointName"))]
    assert "TrainingPipelineArn" in template["Outputs"]
