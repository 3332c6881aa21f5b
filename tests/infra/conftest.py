"""Synthesizes the app ONCE per session (synth takes seconds) with a two-model config, from a
temporary copy of the asset folders: files other people have not written yet get placeholders
there, never in the real folders."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

REPO_ROOT = Path(__file__).resolve().parents[2]
ASSET_FOLDERS = ("lambdas", "mlops_core", "sagemaker_jobs")
PLACEHOLDERS = (
    "lambdas/start_pipeline/handler.py",
    "lambdas/validate_data/handler.py",
    "lambdas/prepare_data/handler.py",
    "lambdas/monitor_endpoint/handler.py",
    "sagemaker_jobs/train.py",
    "sagemaker_jobs/evaluate.py",
    "sagemaker_jobs/inference.py",
    "mlops_core/__init__.py",
)
TWO_MODELS = {
    "stack_name": "MlopsStack",
    "region": "us-east-1",
    "poll_seconds": 7,
    "models": [
        {"name": "penguins", "target": "species", "problem_type": "classification"},
        {"name": "house-prices", "target": "price", "problem_type": "regression", "estimator": "linear",
         "hyperparameters": {"alpha": 0.5, "fit_intercept": True}, "approval": "manual"},
    ],
}


@dataclass(frozen=True)
class Synthesized:
    outdir: Path
    template: dict
    config: object

    def resources(self, resource_type: str) -> dict[str, dict]:
        return {k: v for k, v in self.template["Resources"].items() if v["Type"] == resource_type}

    def resource(self, resource_type: str, logical_id_prefix: str) -> dict:
        found = [v for k, v in self.resources(resource_type).items() if k.startswith(logical_id_prefix)]
        assert len(found) == 1, f"expected one {resource_type} named {logical_id_prefix}*, found {len(found)}"
        return found[0]

    def logical_id(self, resource_type: str, logical_id_prefix: str) -> str:
        found = [k for k in self.resources(resource_type) if k.startswith(logical_id_prefix)]
        assert len(found) == 1, found
        return found[0]

    def asset_dir(self, resource: dict) -> Path:
        return self.outdir / resource["Metadata"]["aws:asset:path"]


@pytest.fixture(scope="session")
def source_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sources")
    for folder in ASSET_FOLDERS:
        if (REPO_ROOT / folder).is_dir():
            shutil.copytree(REPO_ROOT / folder, root / folder,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for relative in PLACEHOLDERS:
        path = root / relative
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("# placeholder written by tests/infra/conftest.py\n")
    # Files that must never reach an asset.
    (root / "mlops_core" / "__pycache__").mkdir(exist_ok=True)
    (root / "mlops_core" / "__pycache__" / "junk.cpython-311.pyc").write_bytes(b"junk")
    (root / "sagemaker_jobs" / "tests").mkdir(exist_ok=True)
    (root / "sagemaker_jobs" / "tests" / "test_junk.py").write_text("")
    return root


@pytest.fixture(scope="session")
def synthesized(source_root, tmp_path_factory) -> Synthesized:
    import aws_cdk as cdk

    from infra import application
    from mlops.config import parse_config

    config = parse_config(TWO_MODELS)
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(outdir=str(outdir))
    application.configure(app)
    application.build(app, config, source_root=source_root)
    app.synth()  # raises if cdk-nag reports an unacknowledged finding
    template = json.loads((outdir / f"{config.stack_name}.template.json").read_text())
    return Synthesized(outdir=outdir, template=template, config=config)


@pytest.fixture(scope="session")
def template(synthesized):
    from aws_cdk.assertions import Template

    return Template.from_json(synthesized.template)
