"""app.py: config from context, overrides, and a clean failure on a bad config."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import aws_cdk as cdk
import pytest

import app as cdk_app
from mlops.config import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_default_context_names_the_bundled_dev_config():
    cdk_json = json.loads((REPO_ROOT / "cdk.json").read_text())
    assert cdk_json["app"] == "python3 app.py"
    assert cdk_json["context"]["config"] == "config/dev.json"
    assert cdk_json["versionReporting"] is False
    config = cdk_app.stage_config(cdk.App(context=cdk_json["context"]))
    assert [m.name for m in config.models] == ["penguins"]


def test_poll_seconds_from_context_overrides_the_config():
    app = cdk.App(context={"config": "config/dev.json", "poll_seconds": "2"})
    assert cdk_app.stage_config(app).poll_seconds == 2


def test_a_bad_poll_seconds_is_named():
    with pytest.raises(ConfigError, match="context poll_seconds: poll_seconds"):
        cdk_app.stage_config(cdk.App(context={"config": "config/dev.json", "poll_seconds": 0}))


def test_a_bad_config_exits_non_zero_naming_the_field_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"models": [{"name": "penguins", "target": "species", "problem_type": "guess"}]}))
    env = {**os.environ, "CDK_OUTDIR": str(tmp_path / "out"), "CDK_CONTEXT_JSON": json.dumps({"config": str(bad)})}
    result = subprocess.run([sys.executable, "app.py"], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert f"{bad}: models[0].problem_type:" in result.stderr
    assert "Traceback" not in result.stderr
