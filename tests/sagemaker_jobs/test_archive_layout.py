"""The scripts run as SageMaker runs them: `python train.py` from the source archive root."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sagemaker_jobs

JOBS = Path(sagemaker_jobs.__file__).resolve().parent
REPO = JOBS.parent


@pytest.fixture
def archive_root(tmp_path) -> Path:
    """A copy of the sourcedir.tar.gz root: the job modules (and mlops_core/ when present)."""
    root = tmp_path / "code"
    root.mkdir()
    for module in JOBS.glob("*.py"):
        if module.name != "__init__.py":
            shutil.copy(module, root / module.name)
    if (REPO / "mlops_core").is_dir():
        shutil.copytree(REPO / "mlops_core", root / "mlops_core")
    return root


def script(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    # -I: no inherited PYTHONPATH and no repository on the path, as in the container.
    return subprocess.run([sys.executable, "-I", *args], cwd=root, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def test_train_then_evaluate_from_the_archive_root(archive_root, tmp_path):
    ml = tmp_path / "opt_ml"
    (ml / "input" / "data" / "train").mkdir(parents=True)
    shutil.copy(REPO / "data" / "penguins.csv", ml / "input" / "data" / "train" / "train.csv")
    trained = script(archive_root, "train.py", "--target", "species", "--n_estimators", "20",
                     "--sagemaker_program", '"train.py"', env={
                         "SM_CHANNEL_TRAIN": str(ml / "input" / "data" / "train"),
                         "SM_MODEL_DIR": str(ml / "model"),
                         "SM_OUTPUT_DATA_DIR": str(ml / "output" / "data"),
                         "SM_OUTPUT_DIR": str(ml / "output")})
    assert trained.returncode == 0, trained.stderr
    assert "validation:accuracy=" in trained.stdout
    evaluated = script(archive_root, "evaluate.py", "--model-dir", str(ml / "model"),
                       "--test-dir", str(ml / "input" / "data" / "train"),
                       "--output-dir", str(tmp_path / "evaluation"))
    assert evaluated.returncode == 0, evaluated.stderr
    report = json.loads((tmp_path / "evaluation" / "evaluation.json").read_text())
    assert report["dataset"]["item_count"] == 344


def test_failing_script_exits_non_zero_with_failure_file(archive_root, tmp_path):
    (tmp_path / "train").mkdir()
    shutil.copy(REPO / "data" / "penguins.csv", tmp_path / "train" / "train.csv")
    done = script(archive_root, "train.py", "--target", "weight", "--train", str(tmp_path / "train"),
                  "--model-dir", str(tmp_path / "model"), "--output-dir", str(tmp_path / "out"),
                  "--output-data-dir", str(tmp_path / "out" / "data"))
    assert done.returncode == 1
    assert "'weight' is not in the training data" in (tmp_path / "out" / "failure").read_text()
