"""A captured request body -> rows of the monitored features, the way inference.py reads it.

text/csv with or without a header row (a header is a row most of whose cells are column names
the model knows); application/json `{"instances": [...]}` or a list of records (objects) or of
equally long rows in feature order. Anything else raises UnparseableRecord, which the window
reader counts instead of failing the check.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from mlops_core.data_capture import CapturedRequest
from mlops_core.missing_values import MISSING_TOKENS
from mlops_core.monitoring.layout import FeatureLayout

CSV, JSON = "text/csv", "application/json"

Row = list[Any]


class UnparseableRecord(ValueError):
    """A captured request whose input the monitor cannot read; the message says why."""


def request_rows(request: CapturedRequest, layout: FeatureLayout) -> list[Row]:
    """The request's rows, each a list of values in ``layout.features`` order (None = missing)."""
    text = request.input_text
    if not text.strip():
        raise UnparseableRecord("the captured input is empty")
    kind = request.input_content_type or (JSON if text.lstrip()[:1] in "[{" else CSV)
    if kind == CSV:
        return _csv_rows(text, layout)
    if kind == JSON or kind.endswith("+json"):
        return _json_rows(text, layout)
    raise UnparseableRecord(f"content type {kind!r} is neither text/csv nor application/json")


def _csv_rows(text: str, layout: FeatureLayout) -> list[Row]:
    try:
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text)) if row]
    except csv.Error as error:
        raise UnparseableRecord(f"the input is not valid CSV: {error}") from None
    if not rows:
        raise UnparseableRecord("the CSV input has no rows")
    first = rows[0]
    if 2 * sum(cell in layout.known_names for cell in first) >= len(first):
        if len(rows) == 1:
            raise UnparseableRecord("the CSV input has a header row but no data rows")
        return [[_cell(row[i]) if i is not None and i < len(row) else None for i in _positions(first, layout)]
                for row in rows[1:]]
    return [_positional([_cell(value) for value in row], layout) for row in rows]


def _positions(header: list[str], layout: FeatureLayout) -> list[int | None]:
    where = {name: index for index, name in enumerate(header)}
    return [where.get(name) for name in layout.features]


def _positional(row: Row, layout: FeatureLayout) -> Row:
    if len(row) == len(layout.features):
        return row
    if layout.file_columns and len(row) == len(layout.file_columns):
        return [value for name, value in zip(layout.file_columns, row) if name != layout.target]
    expected = f"{len(layout.features)}" + (f" or {len(layout.file_columns)}" if layout.file_columns else "")
    raise UnparseableRecord(f"a row has {len(row)} values; the model takes {expected} in the baseline's order")


def _json_rows(text: str, layout: FeatureLayout) -> list[Row]:
    try:
        document = json.loads(text)
    except ValueError as error:
        raise UnparseableRecord(f"the input is not valid JSON: {error}") from None
    if isinstance(document, dict):
        document = document.get("instances")
    if isinstance(document, list) and document:
        if all(isinstance(record, dict) for record in document):
            return [_record(record, layout) for record in document]
        if all(isinstance(row, list) for row in document):
            return [_positional([_value(v) for v in row], layout) for row in document]
    raise UnparseableRecord('the JSON input is not {"instances": [...]} nor a non-empty list of records or rows')


def _record(record: dict, layout: FeatureLayout) -> Row:
    if not any(name in record for name in layout.features):
        raise UnparseableRecord(f"a JSON record names none of the model's features ({', '.join(layout.features[:5])}...)")
    return [_value(record.get(name)) for name in layout.features]


def _cell(text: str) -> str | None:
    return None if text in MISSING_TOKENS else text


def _value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"  # text, as Deequ types booleans (String)
    if isinstance(value, str):
        return _cell(value.strip())
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)  # not a feature value a model takes: kept as text
    return value
