#!/usr/bin/env python3
"""CDK entry point: reads the stage config named by the `config` context (cdk.json:
config/dev.json; `cdk synth -c config=PATH` overrides), applies the `poll_seconds` context
override, and synthesizes MlopsStack with the cdk-nag AWS Solutions checks.

A bad config exits with status 2 and the ConfigError message (file and field), no traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# jsii prints a banner on Node 20 (end of life); the app works the same.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# Runnable as `python3 app.py` from any directory: the repo root holds infra/ and mlops/.
APP_DIR = Path(__file__).resolve().parent
if str(APP_DIR) not in sys.path:
    sys.path.insert(0, str(APP_DIR))

import aws_cdk as cdk  # noqa: E402

from mlops.config import ConfigError, StageConfig, apply_overrides, load_config  # noqa: E402

DEFAULT_CONFIG = "config/dev.json"


def resolve_config_path(value: str) -> Path:
    path = Path(value)
    if path.is_absolute() or path.exists():
        return path
    return APP_DIR / path  # relative to the app, like cdk.json's own default


def stage_config(app: cdk.App) -> StageConfig:
    """The config named by the app's context, with context overrides; raises ConfigError."""
    config = load_config(resolve_config_path(str(app.node.try_get_context("config") or DEFAULT_CONFIG)))
    poll_seconds = app.node.try_get_context("poll_seconds")
    if poll_seconds is not None:
        config = apply_overrides(config, {"poll_seconds": poll_seconds}, source="context poll_seconds")
    return config


def main() -> int:
    from infra import application

    app = cdk.App()
    application.configure(app)
    try:
        config = stage_config(app)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    application.build(app, config)
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
