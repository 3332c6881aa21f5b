"""`aws sagemaker-runtime invoke-endpoint --endpoint-url <the embedded cloud>` works unchanged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from mlops.localcloud.serving import Routes
from tests.localcloud.serving.support import PENGUIN_ROW

pytestmark = pytest.mark.skipif(shutil.which("aws") is None, reason="the AWS CLI is not installed")


def _aws(cloud, *args: str, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
           "AWS_DEFAULT_REGION": cloud.region, "AWS_PAGER": ""}
    env.pop("AWS_PROFILE", None)
    return subprocess.run(["aws", *args, "--endpoint-url", cloud.endpoint_url], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_invoke_endpoint_with_the_aws_cli(cloud, models, start, tmp_path):
    fleet = start(models.linear, endpoint="from-the-cli")
    cloud.router.set_routes("from-the-cli", Routes(((fleet, 1.0),)))
    (tmp_path / "row.csv").write_text(PENGUIN_ROW)
    done = _aws(cloud, "sagemaker-runtime", "invoke-endpoint", "--endpoint-name", "from-the-cli",
                "--content-type", "text/csv", "--accept", "text/csv", "--body", "fileb://row.csv", "answer.csv",
                cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"ContentType": "text/csv", "InvokedProductionVariant": "AllTraffic"}
    assert (tmp_path / "answer.csv").read_text() == "Adelie\n"


def test_the_aws_cli_shows_a_model_error(cloud, models, start, tmp_path):
    fleet = start(models.linear, endpoint="cli-errors")
    cloud.router.set_routes("cli-errors", Routes(((fleet, 1.0),)))
    (tmp_path / "row.txt").write_text("hello")
    done = _aws(cloud, "sagemaker-runtime", "invoke-endpoint", "--endpoint-name", "cli-errors",
                "--content-type", "text/plain", "--body", "fileb://row.txt", "answer.out", cwd=tmp_path)
    assert done.returncode != 0
    assert "An error occurred (ModelError) when calling the InvokeEndpoint operation" in done.stderr
    assert "Received client error (415)" in done.stderr
