"""The serving container's contract: isolated code per model, handler defaults, crashes and time limits."""

from __future__ import annotations

import json
import re
import textwrap

import pytest
from botocore.exceptions import ClientError

from mlops.localcloud.serving import FleetSpec, FleetStartError, Routes, fleet as fleet_module
from tests.localcloud.serving.support import IMAGE, ROLE_ARN, code_archive

BUCKET = "container-tests"
ECHO = textwrap.dedent("""
    import importlib.util, json, os, sys
    import helper  # a plain-name sibling, as our inference.py imports model_card

    def model_fn(model_dir):
        return open(os.path.join(model_dir, "weights.txt")).read()

    def input_fn(body, content_type):
        return body

    def predict_fn(data, model):
        print(f"predicting {data!r}")
        if data == b"crash":
            os._exit(3)
        if data == b"hang":
            import time
            time.sleep(30)
        return {"helper": helper.VERSION, "weights": model, "setting": os.environ.get("MY_SETTING"),
                "role_credentials": os.environ.get("AWS_SESSION_TOKEN") is not None,
                "sees_embedded_cloud": importlib.util.find_spec("mlops") is not None}

    def output_fn(prediction, accept):
        return json.dumps(prediction), "application/json"
""")
SUMMER = textwrap.dedent("""
    class Summer:
        def predict(self, rows):
            return rows.sum(axis=1)

    def model_fn(model_dir):
        return Summer()
""")


@pytest.fixture(scope="module")
def s3(cloud):
    client = cloud.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


def _model(cloud, s3, name: str, code: dict[str, str] | None, *, weights: str = "w", env: dict | None = None,
           code_in_model: bool = False) -> str:
    model_files = {"weights.txt": weights, **({f"code/{k}": v for k, v in code.items()} if code_in_model else {})}
    s3.put_object(Bucket=BUCKET, Key=f"{name}/model.tar.gz", Body=code_archive(model_files))
    environment = {"SAGEMAKER_PROGRAM": "inference.py", **(env or {})}
    if code and not code_in_model:
        s3.put_object(Bucket=BUCKET, Key=f"{name}/sourcedir.tar.gz", Body=code_archive(code))
        environment["SAGEMAKER_SUBMIT_DIRECTORY"] = f"s3://{BUCKET}/{name}/sourcedir.tar.gz"
    cloud.client("sagemaker").create_model(ModelName=name, ExecutionRoleArn=ROLE_ARN, PrimaryContainer={
        "Image": IMAGE, "ModelDataUrl": f"s3://{BUCKET}/{name}/model.tar.gz", "Environment": environment})
    return name


@pytest.fixture
def serve(cloud):
    """serve(model) -> endpoint name routed to a new fleet of that model (closed after the test)."""
    started = []

    def _serve(model: str) -> str:
        fleet = cloud.fleets.start_fleet(FleetSpec(model, f"{model}-config", "AllTraffic", model, "ml.m5.large", 1,
                                                   None))
        started.append(fleet)
        cloud.router.set_routes(model, Routes(((fleet, 1.0),)))
        return model

    yield _serve
    for fleet in started:
        cloud.router.remove(fleet.spec.endpoint_name)
        fleet.close()


def _ask(runtime, endpoint: str, body: str, content_type: str = "text/plain", **extra):
    return runtime.invoke_endpoint(EndpointName=endpoint, Body=body, ContentType=content_type, **extra)


def test_each_model_version_imports_its_own_sibling_modules(cloud, s3, serve, runtime):
    one = serve(_model(cloud, s3, "version-one", {"inference.py": ECHO, "helper.py": "VERSION = 'one'\n"},
                       weights="w1", env={"MY_SETTING": "on"}))
    two = serve(_model(cloud, s3, "version-two", {"inference.py": ECHO, "helper.py": "VERSION = 'two'\n"},
                       weights="w2"))
    assert json.loads(_ask(runtime, one, "hi")["Body"].read()) == {
        "helper": "one", "weights": "w1", "setting": "on", "role_credentials": True, "sees_embedded_cloud": False}
    assert json.loads(_ask(runtime, two, "hi")["Body"].read())["helper"] == "two"


def test_the_containers_output_goes_to_cloudwatch_logs(cloud, s3, serve, runtime):
    endpoint = serve(_model(cloud, s3, "logging", {"inference.py": ECHO, "helper.py": "VERSION = 'l'\n"}))
    _ask(runtime, endpoint, "logged-body")
    cloud.fleets.flush()
    logs = cloud.client("logs")
    [stream] = logs.describe_log_streams(logGroupName="/aws/sagemaker/Endpoints/logging")["logStreams"]
    assert re.fullmatch(r"AllTraffic/i-[0-9a-f]{17}", stream["logStreamName"])
    events = logs.get_log_events(logGroupName="/aws/sagemaker/Endpoints/logging",
                                 logStreamName=stream["logStreamName"])["events"]
    assert "predicting b'logged-body'" in [event["message"] for event in events]


def test_code_shipped_inside_model_tar_gz(cloud, s3, serve, runtime):
    endpoint = serve(_model(cloud, s3, "code-in-model", {"inference.py": ECHO, "helper.py": "VERSION = 'inside'\n"},
                            code_in_model=True))
    assert json.loads(_ask(runtime, endpoint, "hi")["Body"].read())["helper"] == "inside"


def test_a_crashed_container_is_a_5xx_and_is_replaced(cloud, s3, serve, runtime):
    endpoint = serve(_model(cloud, s3, "crashing", {"inference.py": ECHO, "helper.py": "VERSION = 'x'\n"}))
    with pytest.raises(ClientError) as raised:
        _ask(runtime, endpoint, "crash")
    response = raised.value.response
    assert response["Error"]["Code"] == "ModelError" and response["OriginalStatusCode"] == 500
    assert "exited while serving the request (exit code 3)" in response["OriginalMessage"]
    assert json.loads(_ask(runtime, endpoint, "again")["Body"].read())["helper"] == "x"  # a new instance answers


def test_a_container_past_the_time_limit_times_out_and_is_replaced(cloud, s3, serve, runtime, monkeypatch):
    monkeypatch.setattr(fleet_module, "CONTAINER_TIMEOUT_SECONDS", 1.0)  # SageMaker's is 60 s
    endpoint = serve(_model(cloud, s3, "hanging", {"inference.py": ECHO, "helper.py": "VERSION = 'h'\n"}))
    with pytest.raises(ClientError) as raised:
        _ask(runtime, endpoint, "hang")
    assert raised.value.response["Error"]["Message"].startswith(
        "Your invocation timed out while waiting for a response from container primary.")
    assert json.loads(_ask(runtime, endpoint, "again")["Body"].read())["helper"] == "h"


def test_the_scikit_learn_containers_defaults_fill_in_missing_handlers(cloud, s3, serve, runtime):
    endpoint = serve(_model(cloud, s3, "defaults", {"inference.py": SUMMER}))
    assert _ask(runtime, endpoint, "1,2\n3,4", "text/csv")["Body"].read() == b"[3.0, 7.0]"
    as_csv = _ask(runtime, endpoint, "[[1, 2, 3]]", "application/json", Accept="text/csv")
    assert (as_csv["Body"].read(), as_csv["ContentType"]) == (b"6.0\n", "text/csv")
    with pytest.raises(ClientError) as raised:
        _ask(runtime, endpoint, "1,2", "image/png")
    assert raised.value.response["OriginalStatusCode"] == 415
    assert "Content type image/png is not supported" in raised.value.response["OriginalMessage"]


def test_a_model_fn_that_fails_fails_the_fleet_with_its_reason(cloud, s3):
    broken = "def model_fn(model_dir):\n    raise FileNotFoundError('model.joblib is missing')\n"
    name = _model(cloud, s3, "broken", {"inference.py": broken})
    with pytest.raises(FleetStartError) as raised:
        cloud.fleets.start_fleet(FleetSpec(name, "broken-config", "AllTraffic", name, "ml.m5.large", 1, None))
    message = str(raised.value)
    assert message.startswith("The primary container for production variant AllTraffic did not pass the ping "
                              "health check: FileNotFoundError: model.joblib is missing.")
    assert "Container log" in message and "Traceback" in message  # the log, not an answer, holds it
    events = cloud.client("logs").filter_log_events(logGroupName="/aws/sagemaker/Endpoints/broken")["events"]
    assert any("FileNotFoundError: model.joblib is missing" in event["message"] for event in events)


@pytest.mark.parametrize("case, expected", [
    ("unknown model", 'Could not find model "arn:aws:sagemaker:us-east-1:123456789012:model/no-such-model".'),
    ("no program", "has no SAGEMAKER_PROGRAM in its container Environment"),
    ("no model data", "Failed to download model data (bucket: container-tests, key: missing/model.tar.gz)"),
    ("no code", "has no inference code: set SAGEMAKER_SUBMIT_DIRECTORY"),
])
def test_fleets_that_cannot_start_say_why(cloud, s3, case, expected):
    sagemaker = cloud.client("sagemaker")
    name = {"unknown model": "no-such-model", "no program": "no-program", "no model data": "no-model-data",
            "no code": "no-code"}[case]
    if case == "no program":
        _model(cloud, s3, name, {"inference.py": SUMMER}, env={"SAGEMAKER_PROGRAM": ""})
    elif case == "no model data":
        sagemaker.create_model(ModelName=name, ExecutionRoleArn=ROLE_ARN, PrimaryContainer={
            "Image": IMAGE, "ModelDataUrl": f"s3://{BUCKET}/missing/model.tar.gz",
            "Environment": {"SAGEMAKER_PROGRAM": "inference.py"}})
    elif case == "no code":
        _model(cloud, s3, name, None)
    with pytest.raises(FleetStartError) as raised:
        cloud.fleets.start_fleet(FleetSpec(name, f"{name}-config", "AllTraffic", name, "ml.m5.large", 1, None))
    assert expected in str(raised.value)


def test_a_spec_with_bad_values_is_refused(cloud):
    with pytest.raises(FleetStartError, match="instance_count must be a positive integer, got 0"):
        cloud.fleets.start_fleet(FleetSpec("e", "c", "v", "m", "ml.m5.large", 0, None))
    with pytest.raises(FleetStartError, match="variant_name 'bad_name' is not a valid SageMaker name"):
        cloud.fleets.start_fleet(FleetSpec("e", "c", "bad_name", "m", "ml.m5.large", 1, None))
