"""Score one model artifact on a test table: the Model Monitor model-quality report.

The same function scores the candidate and the champion, so the two reports are comparable
line by line: same rows, same target handling, same metric code.
"""
from __future__ import annotations

import logging
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

import model_card
import quality
import table_schema
from job_errors import JobError

LOG = logging.getLogger("evaluate")


def load(model_dir: Path):
    """The pipeline and card from model.joblib in the folder, or from the model.tar.gz there."""
    if (model_dir / model_card.MODEL_FILE).is_file():
        return _load_files(model_dir)
    archives = sorted(model_dir.glob("*.tar.gz"))
    if not archives:
        raise JobError(f"Neither {model_card.MODEL_FILE} nor model.tar.gz found in {model_dir}.")
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(archives[0]) as archive:
        # The "data" filter (Python 3.11.4+) refuses paths and links that leave the folder.
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        archive.extractall(scratch, **safe)
        return _load_files(Path(scratch))


def _load_files(model_dir: Path):
    try:
        return model_card.load_model(model_dir)
    except FileNotFoundError as error:
        raise JobError(f"The model artifact is incomplete: {error}.") from error


def report(pipeline, card: dict, frame: pd.DataFrame, source: str) -> dict:
    """evaluation.json for `frame` (rows without a target value are not scored)."""
    target, problem_type = card["target"], card["problem_type"]
    if target not in frame.columns:
        raise JobError(f"Target column '{target}' is not in the test data ({source}).")
    scored = frame[~table_schema.is_missing(frame[target])]
    if len(scored) < len(frame):
        LOG.warning("Skipped %d test rows whose target is missing.", len(frame) - len(scored))
    if scored.empty:
        raise JobError(f"The test data in {source} has no rows with a '{target}' value.")
    X = table_schema.coerce_features(scored, card["features"])
    y_pred = pipeline.predict(X)
    if problem_type == "regression":
        y_true, not_numbers = table_schema.to_numbers(scored[target])
        if not_numbers:
            raise JobError(f"Test target '{target}' has non-numeric values: {not_numbers[:3]}.")
        section, metrics = quality.regression_section(y_true, y_pred)
    else:
        y_true = table_schema.to_categories(scored[target]).tolist()
        section, metrics = quality.classification_section(
            y_true, [str(p) for p in y_pred], card["classes"], _probabilities(pipeline, X, card))
    return {
        "version": 0.0,
        "dataset": {
            "item_count": len(scored),
            "evaluation_time": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        section: metrics,
        "problem_type": problem_type,
        "target": target,
    }


def _probabilities(pipeline, X, card: dict):
    """Class probabilities with columns in the card's class order, when the model has them."""
    if not hasattr(pipeline, "predict_proba"):
        return None
    columns = [str(c) for c in pipeline.classes_]
    proba = pipeline.predict_proba(X)
    return proba[:, [columns.index(label) for label in card["classes"]]]
