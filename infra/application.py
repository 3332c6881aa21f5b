"""Builds the CDK app from a stage config: feature flags, the stack, the cdk-nag checks.
`app.py` (CLI and embedded cloud) and the infra tests both come through here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk

from infra.bundling import REPO_ROOT
from infra.nag import add_compliance_checks
from infra.stack import MlopsStack
from mlops.config import StageConfig

# Set in code rather than cdk.json so `python app.py`, `cdk synth` and tests build the same
# template. Each one changes what we rely on:
FEATURE_FLAGS: dict[str, Any] = {
    # Access-log delivery through a bucket policy (not the legacy log-delivery ACL).
    "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": True,
    # Fewer, merged IAM statements.
    "@aws-cdk/aws-iam:minimizePolicies": True,
    # Resource metadata `aws:asset:path` on the Lambda functions and layer, always (the CLI
    # would add it, plain `python app.py` would not): tools can map a function to its asset.
    "aws:cdk:enable-asset-metadata": True,
}


def configure(app: cdk.App) -> None:
    """Call before anything is added to the app."""
    for key, value in FEATURE_FLAGS.items():
        app.node.set_context(key, value)


def build(app: cdk.App, config: StageConfig, *, source_root: Path = REPO_ROOT) -> MlopsStack:
    stack = MlopsStack(app, config.stack_name, config=config, source_root=source_root)
    add_compliance_checks(app)
    return stack
