"""Fixtures for the SageMaker job scripts: SageMaker-style folders and models trained once."""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.model_selection import train_test_split

from sagemaker_jobs import train

REPO = Path(__file__).resolve().parents[2]
PENGUINS_CSV = REPO / "data" / "penguins.csv"
FAST = ["--n-estimators", "30"]  # small forests keep every training run well under a second


def _metric(stdout: str, name: str) -> float:
    """A metric exactly as the MetricDefinitions regex `<name>=([-+0-9.eE]+)` reads it."""
    match = re.search(re.escape(name) + r"=([-+0-9.eE]+)", stdout)
    assert match, f"{name} not printed in:\n{stdout}"
    return float(match.group(1))


def job_folders(root: Path) -> SimpleNamespace:
    folders = SimpleNamespace(
        train=root / "input" / "data" / "train", model=root / "model",
        output_data=root / "output" / "data", output=root / "output",
    )
    folders.train.mkdir(parents=True)
    return folders


def train_args(folders: SimpleNamespace, *extra: str) -> list[str]:
    return [
        "--train", str(folders.train), "--model-dir", str(folders.model),
        "--output-data-dir", str(folders.output_data), "--output-dir", str(folders.output),
        *extra,
    ]


def read_card(folders: SimpleNamespace) -> dict:
    return json.loads((folders.model / "model_card.json").read_text())


@pytest.fixture
def metric():
    """metric(stdout, name) -> float, parsed with the contract's MetricDefinitions regex."""
    return _metric


@pytest.fixture
def run_train(folders, capsys):
    """run_train(frame_or_None, *args): write train.csv, run train.main, collect the results."""
    def run(frame: pd.DataFrame | None, *extra: str) -> SimpleNamespace:
        if frame is not None:
            frame.to_csv(folders.train / "train.csv", index=False)
        code = train.main(train_args(folders, *extra))
        failure = folders.output / "failure"
        return SimpleNamespace(
            code=code, out=capsys.readouterr().out, folders=folders,
            card=read_card(folders) if code == 0 else None,
            failure=failure.read_text() if failure.exists() else None,
        )
    return run


@pytest.fixture
def penguins() -> pd.DataFrame:
    return pd.read_csv(PENGUINS_CSV)


@pytest.fixture
def folders(tmp_path, monkeypatch) -> SimpleNamespace:
    folders = job_folders(tmp_path)
    # Also as the SageMaker environment, so no failure path can fall back to /opt/ml.
    for name, path in [("SM_CHANNEL_TRAIN", folders.train), ("SM_MODEL_DIR", folders.model),
                       ("SM_OUTPUT_DATA_DIR", folders.output_data), ("SM_OUTPUT_DIR", folders.output)]:
        monkeypatch.setenv(name, str(path))
    return folders


def _trained(root: Path, frame: pd.DataFrame, target: str, *extra: str) -> SimpleNamespace:
    """Split 80/20, train on the first part with train.main, keep the second as test/."""
    folders = job_folders(root)
    stratify = frame[target] if frame[target].nunique() < 10 else None
    train_part, test_part = train_test_split(frame, test_size=0.2, random_state=0, stratify=stratify)
    train_part.to_csv(folders.train / "train.csv", index=False)
    folders.test = root / "test"
    folders.test.mkdir()
    test_part.to_csv(folders.test / "test.csv", index=False)
    assert train.main(train_args(folders, "--target", target, *FAST, *extra)) == 0
    return folders


@pytest.fixture(scope="session")
def penguins_model(tmp_path_factory) -> SimpleNamespace:
    return _trained(tmp_path_factory.mktemp("penguins"), pd.read_csv(PENGUINS_CSV), "species",
                    "--problem-type", "classification")


@pytest.fixture(scope="session")
def cancer_model(tmp_path_factory) -> SimpleNamespace:
    frame = load_breast_cancer(as_frame=True).frame
    return _trained(tmp_path_factory.mktemp("cancer"), frame, "target",
                    "--problem-type", "classification")


@pytest.fixture(scope="session")
def diabetes_model(tmp_path_factory) -> SimpleNamespace:
    frame = load_diabetes(as_frame=True).frame
    return _trained(tmp_path_factory.mktemp("diabetes"), frame, "target",
                    "--problem-type", "regression")
