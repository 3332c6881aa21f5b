"""Builders for the monitor tests: capture lines and ground truth in the contract's format,
and a baseline (statistics + constraints) made by the data-quality core from a training frame."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd

from mlops_core.data_quality import compute_statistics, suggest_constraints

FEATURES = ["x", "y", "colour"]
TARGET = "label"


def training_frame(rows: int = 1000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "x": rng.normal(0.0, 1.0, rows), "y": rng.normal(10.0, 2.0, rows),
        "colour": rng.choice(["red", "green", "blue"], rows, p=[0.6, 0.3, 0.1]),
        TARGET: rng.choice(["a", "b"], rows),
    })


def baseline(frame: pd.DataFrame | None = None, *, keep_target: bool = False) -> tuple[dict, dict]:
    """(statistics.json, constraints.json) as the pipeline registers them (target left out),
    or with the target kept, as a user's contract may list it."""
    frame = training_frame() if frame is None else frame
    statistics = compute_statistics(frame, target=None if keep_target else TARGET)
    return statistics, suggest_constraints(statistics, drift_threshold=0.1)


def capture_line(body: str, *, content_type: str = "text/csv", when: str = "2026-11-27T10:30:00Z",
                 event_id: str = "e", inference_id: str | None = None, prediction: str | None = None,
                 encoding: str | None = None) -> str:
    encoding = encoding or ("JSON" if content_type == "application/json" else "CSV")
    data = base64.b64encode(body.encode()).decode() if encoding == "BASE64" else body
    capture = {"endpointInput": {"observedContentType": content_type, "mode": "INPUT", "data": data,
                                 "encoding": encoding}}
    if prediction is not None:
        capture["endpointOutput"] = {"observedContentType": "application/json", "mode": "OUTPUT",
                                     "data": json.dumps({"predictions": [prediction]}), "encoding": "JSON"}
    metadata = {"eventId": event_id, "inferenceTime": when}
    if inference_id is not None:
        metadata["inferenceId"] = inference_id
    return json.dumps({"captureData": capture, "eventMetadata": metadata, "eventVersion": "0"})


def csv_requests(frame: pd.DataFrame, *, when: str = "2026-11-27T10:30:00Z") -> list[str]:
    """One CSV request (no header, feature order) per row."""
    return [capture_line(",".join(str(v) for v in row), when=when, event_id=f"e{i}")
            for i, row in enumerate(frame[FEATURES].itertuples(index=False))]


def ground_truth_line(inference_id: str, label: str) -> str:
    return json.dumps({"groundTruthData": {"data": label, "encoding": "CSV"},
                       "eventMetadata": {"eventId": inference_id}, "eventVersion": "0"})


def named(lines: list[str], source: str = "capture.jsonl") -> list[tuple[str, str]]:
    return [(source, line) for line in lines]
