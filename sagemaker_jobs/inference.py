"""Serving functions for the SageMaker scikit-learn container.

`model_fn` loads the pipeline and its card; `input_fn` parses text/csv (with or without a
header row) or application/json (`{"instances": [...]}`, a list of records, or rows in feature
order); `predict_fn` lines the columns up with the card and predicts; `output_fn` answers
text/csv (one prediction per line) or application/json (`{"predictions": [...]}` plus, for
classifiers, `"probabilities"`: one {class label: probability} object per row).

Client mistakes raise UnsupportedContentType (HTTP 415) or InvalidInput (HTTP 400); both carry
`status_code` like the inference toolkit's errors. Only model_card and table_schema are needed
here, not the training code.
"""
from __future__ import annotations

import sys
from pathlib import Path

# In the serving container the code folder is already on the path; in tests it is not.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import csv  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import pandas as pd  # noqa: E402

import model_card  # noqa: E402
import table_schema  # noqa: E402

CSV = "text/csv"
JSON = "application/json"
SUPPORTED = (CSV, JSON)


class UnsupportedContentType(ValueError):
    """A Content-Type (or Accept) this endpoint cannot handle; the serving layer answers 415."""

    status_code = 415


class InvalidInput(ValueError):
    """A request body that does not fit the model; the message names the columns (400)."""

    status_code = 400


@dataclass
class Model:
    pipeline: object
    card: dict


@dataclass
class Request:
    rows: pd.DataFrame  # cells as received (text for CSV, JSON values otherwise)
    named: bool  # columns already carry names (JSON records)
    csv: bool  # the first row may be a header


def model_fn(model_dir: str) -> Model:
    pipeline, card = model_card.load_model(model_dir)
    return Model(pipeline, card)


def input_fn(body, content_type: str) -> Request:
    media = _media_type(content_type)
    if media not in SUPPORTED:
        raise UnsupportedContentType(
            f"Unsupported content type '{content_type}': send text/csv or application/json."
        )
    text = _text(body)
    if not text.strip():
        raise InvalidInput("The request body is empty.")
    if media == CSV:
        try:
            return Request(table_schema.read_csv_text(io.StringIO(text), header=None), False, True)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            raise InvalidInput(f"The body is not valid CSV: {error}") from error
    return _json_request(text)


def predict_fn(data: Request | pd.DataFrame, model: Model) -> dict:
    request = data if isinstance(data, Request) else Request(data, True, False)
    try:
        X = table_schema.coerce_features(_named_columns(request, model.card), model.card["features"])
    except table_schema.SchemaError as error:
        raise InvalidInput(str(error)[0].upper() + str(error)[1:] + ".") from error
    if model.card["problem_type"] == "regression":
        return {"predictions": [float(v) for v in model.pipeline.predict(X)]}
    result = {"predictions": [str(v) for v in model.pipeline.predict(X)]}
    if hasattr(model.pipeline, "predict_proba"):
        classes = [str(c) for c in model.pipeline.classes_]
        result["probabilities"] = [
            {label: float(p) for label, p in zip(classes, row)}
            for row in model.pipeline.predict_proba(X)
        ]
    return result


def output_fn(prediction: dict, accept: str | None) -> tuple[str, str]:
    """(body, content type): the tuple form both SageMaker serving toolkits accept."""
    media = _accepted(accept)
    if media == JSON:
        return json.dumps(prediction), JSON
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([p] for p in prediction["predictions"])
    return buffer.getvalue(), CSV


def _media_type(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


def _accepted(accept: str | None) -> str:
    """The first supported type in an Accept header; */* or nothing means the default."""
    default = _media_type(os.environ.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT", JSON))
    for part in (accept or "*/*").split(","):
        media = _media_type(part)
        if media in ("*/*", ""):
            return default if default in SUPPORTED else JSON
        if media in SUPPORTED:
            return media
    raise UnsupportedContentType(
        f"Unsupported Accept '{accept}': ask for text/csv or application/json."
    )


def _text(body) -> str:
    if isinstance(body, (bytes, bytearray)):
        try:
            return bytes(body).decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidInput(f"The body is not UTF-8 text: {error}") from error
    return str(body)


def _json_request(text: str) -> Request:
    try:
        document = json.loads(text)
    except ValueError as error:
        raise InvalidInput(f"The body is not valid JSON: {error}") from error
    if isinstance(document, dict):
        document = document.get("instances")
    if isinstance(document, list) and document:
        if all(isinstance(r, dict) for r in document):
            return Request(pd.DataFrame.from_records(document), True, False)
        if all(isinstance(r, list) for r in document) and len({len(r) for r in document}) == 1:
            return Request(pd.DataFrame(document), False, False)
    raise InvalidInput(
        'JSON must be {"instances": [...]} or a non-empty list of records (objects) '
        "or of equally long rows (lists in feature order)."
    )


def _named_columns(request: Request, card: dict) -> pd.DataFrame:
    """Give positional rows their column names; detect and strip a CSV header row."""
    rows = request.rows
    if request.named:
        return rows
    features = [f["name"] for f in card["features"]]
    layout = card.get("input_columns") or []
    if request.csv:
        first = [v.strip() if isinstance(v, str) else v for v in rows.iloc[0]]
        known = set(features) | set(layout) | {card["target"]}
        # A header names columns: most of its cells are column names the model knows.
        if 2 * sum(v in known for v in first) >= len(first):
            duplicated = sorted({str(v) for v in first if first.count(v) > 1})
            if duplicated:
                raise InvalidInput(f"Duplicate column(s) in the CSV header: {', '.join(duplicated)}.")
            if len(rows) == 1:
                raise InvalidInput("The CSV has a header row but no data rows.")
            return rows.iloc[1:].set_axis([str(v) for v in first], axis=1)
    if rows.shape[1] == len(features):
        return rows.set_axis(features, axis=1)
    if layout and rows.shape[1] == len(layout):
        return rows.set_axis(layout, axis=1)  # the training file's layout, target included
    raise InvalidInput(
        f"Expected {len(features)} columns in this order: {', '.join(features)}"
        + (f" (or the training file's {len(layout)}: {', '.join(layout)})" if layout else "")
        + f"; got {rows.shape[1]}."
    )
