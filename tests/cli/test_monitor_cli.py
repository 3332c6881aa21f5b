"""`mlops monitor run`: invokes the stack's MonitorFunctionName synchronously with the monitor's
request, prints its result, maps its errors to advice and its status to the exit code.

The function here is a stand-in answering in the monitor's documented shapes (the monitor itself
is tested in tests/mlops_core and tests/e2e_monitoring); it echoes the request it received so
the tests see what the CLI sent."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops.cli.main import cli
from mlops.localcloud.lambda_runtime import FunctionSpec
from mlops.localcloud.server import EmbeddedCloud

STAND_IN = '''
class MissingBaseline(ValueError):
    pass

def handler(event, context):
    model = event["model"]
    base = {"check": event["check"], "model": model, "endpoint": "MlopsStack-" + model, "request": event,
            "window": {"start": "2026-11-27T09:00:00Z", "end": "2026-11-27T10:00:00Z"}, "metrics": {}}
    if model == "nobaseline":
        raise MissingBaseline("MissingBaseline: model package arn:aws:sagemaker:us-east-1:123456789012:"
                              "model-package/g/1 has no DriftCheckBaselines")
    if model == "quiet":
        return {**base, "status": "no-data", "records": 0, "unparseable": 0, "drifted": [], "distances": {}}
    drifted = ["bill_length_mm"] if model == "drifting" else []
    return {**base, "status": "drift" if drifted else "ok", "records": 500, "unparseable": 3, "drifted": drifted,
            "distances": {"bill_length_mm": 0.42 if drifted else 0.02, "flipper_length_mm": 0.03},
            "report": "s3://artifacts/monitoring/MlopsStack-" + model + "/x/"}
'''
MODELS = ("penguins", "drifting", "quiet", "nobaseline", "unserved")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("cloud")
    with EmbeddedCloud(region="us-east-1", workdir=workdir) as cloud:
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("monitor.py", STAND_IN)
        cloud.client("s3").create_bucket(Bucket="code")
        cloud.client("s3").put_object(Bucket="code", Key="monitor.zip", Body=archive.getvalue())
        role = cloud.client("iam").create_role(RoleName="monitor", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        arn = cloud.client("lambda").create_function(FunctionName="Monitor", Runtime="python3.11", Role=role,
                                                     Handler="monitor.handler",
                                                     Code={"S3Bucket": "code", "S3Key": "monitor.zip"})["FunctionArn"]
        cloud.runtime.register(FunctionSpec(name="Monitor", arn=arn, handler="monitor.handler", role_arn=role,
                                            code_bucket="code", code_key="monitor.zip", timeout=30))
        for model in MODELS:
            serving = {"enabled": model != "unserved", "endpoint_name": f"MlopsStack-{model}"}
            cloud.client("ssm").put_parameter(Name=f"/MlopsStack/models/{model}", Type="String",
                                              Value=json.dumps({"model": model, "serving": serving}))
        outputs = {"TrainingPipelineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:P",
                   "SettingsParameterPrefix": "/MlopsStack/models/", "ArtifactsBucketName": "artifacts",
                   "MonitorFunctionName": "Monitor"}
        path = workdir / "outputs.json"
        path.write_text(json.dumps({"MlopsStack": outputs}))
        yield {"MLOPS_OUTPUTS_FILE": str(path), "AWS_ENDPOINT_URL": cloud.endpoint_url, "AWS_ACCESS_KEY_ID": "x",
               "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1", "MLOPS_STACK": None}


def _run(env, *args):
    result = CliRunner().invoke(cli, ["monitor", "run", *args], env=env)
    assert "Traceback" not in result.output, result.output
    return result


def test_no_drift_exits_0_and_prints_records_distances_and_report(stack):
    result = _run(stack, "penguins")
    assert result.exit_code == 0, result.output
    assert "penguins data-quality check of endpoint MlopsStack-penguins" in result.output and ": OK" in result.output
    assert "records: 500 (3 could not be parsed)" in result.output
    assert "flipper_length_mm 0.03" in result.output and "report: s3://artifacts/monitoring/" in result.output


def test_drift_exits_4_naming_the_drifted_features(stack):
    result = _run(stack, "drifting")
    assert result.exit_code == 4
    assert "DRIFT" in result.output and "drifted: bill_length_mm (0.42)" in result.output


def test_json_prints_the_result_and_the_request_carries_check_and_window(stack):
    result = _run(stack, "penguins", "--check", "model-quality", "--window-minutes", "30", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["request"] == {"model": "penguins", "check": "model-quality", "window_minutes": 30}


def test_an_empty_window_is_no_data_not_no_drift(stack):
    result = _run(stack, "quiet")
    assert result.exit_code == 5 and "NO-DATA" in result.output and "nothing was judged" in result.output


def test_a_missing_baseline_is_advice_naming_the_package(stack):
    result = _run(stack, "nobaseline")
    assert result.exit_code == 1
    assert "MissingBaseline: model package arn:aws:sagemaker" in result.output and "DriftCheckBaselines" in result.output


def test_an_unknown_model_is_named_with_the_configured_ones(stack):
    result = _run(stack, "walrus")
    assert result.exit_code == 1 and "model 'walrus' is not configured" in result.output and "penguins" in result.output


def test_a_model_without_an_endpoint_exits_3(stack):
    result = _run(stack, "unserved")
    assert result.exit_code == 3 and "serving is disabled for model 'unserved'" in result.output


def test_a_stack_without_monitoring_says_so(stack, tmp_path):
    outputs = json.loads(Path(stack["MLOPS_OUTPUTS_FILE"]).read_text())
    del outputs["MlopsStack"]["MonitorFunctionName"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(outputs))
    result = _run({**stack, "MLOPS_OUTPUTS_FILE": str(path)}, "penguins")
    assert result.exit_code == 1 and "no output MonitorFunctionName" in result.output
