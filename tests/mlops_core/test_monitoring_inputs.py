"""Captured request bodies read the way inference.py reads them."""

from __future__ import annotations

import json

import pytest

from mlops_core.data_capture import parse_request_line
from mlops_core.monitoring.inputs import UnparseableRecord, request_rows
from mlops_core.monitoring.layout import layout_from_baseline
from tests.mlops_core.monitoring_captures import TARGET, baseline, capture_line

LAYOUT = layout_from_baseline(baseline()[0], target=TARGET)
FILE_LAYOUT = layout_from_baseline(baseline(keep_target=True)[0], target=TARGET)


def _rows(body: str, layout=LAYOUT, **kwargs):
    return request_rows(parse_request_line(capture_line(body, **kwargs)), layout)


@pytest.mark.parametrize("body,content_type", [
    ("0.5,9,red\n1.5,11,blue", "text/csv"),
    ("x,y,colour\n0.5,9,red\n1.5,11,blue", "text/csv"),
    ("colour,x,y\nred,0.5,9\nblue,1.5,11", "text/csv"),
    (json.dumps({"instances": [{"x": 0.5, "y": 9, "colour": "red"}, {"x": 1.5, "y": 11, "colour": "blue"}]}),
     "application/json"),
    (json.dumps([{"x": 0.5, "y": 9, "colour": "red"}, {"x": 1.5, "y": 11, "colour": "blue"}]), "application/json"),
    (json.dumps([[0.5, 9, "red"], [1.5, 11, "blue"]]), "application/json"),
])
def test_every_format_inference_accepts(body, content_type):
    rows = _rows(body, content_type=content_type)
    assert [[float(r[0]), float(r[1]), r[2]] for r in rows] == [[0.5, 9.0, "red"], [1.5, 11.0, "blue"]]


def test_base64_and_missing_tokens():
    assert _rows("0.5,NA,red", encoding="BASE64") == [["0.5", None, "red"]]


def test_rows_in_the_training_files_layout_drop_the_target():
    assert _rows("0.5,9,red,a", layout=FILE_LAYOUT) == [["0.5", "9", "red"]]


@pytest.mark.parametrize("body,content_type,message", [
    ("1,2", "text/csv", "a row has 2 values"),
    ("{\"rows\": []}", "application/json", "not {\"instances\""),
    ("[{\"other\": 1}]", "application/json", "names none of the model's features"),
    ("abc", "application/x-npy", "neither text/csv"),
    ("x,y,colour", "text/csv", "header row but no data rows"),
])
def test_unreadable_bodies_name_the_problem(body, content_type, message):
    with pytest.raises(UnparseableRecord, match=message.replace("(", r"\(").replace("{", r"\{")):
        _rows(body, content_type=content_type)


def test_json_values_spelled_as_missing_are_missing_as_in_csv():
    body = json.dumps([{"x": " n/a ", "y": "NULL", "colour": "none"}, {"x": "", "y": 0, "colour": "#N/A"}])
    assert _rows(body, content_type="application/json") == [[None, None, "none"], [None, 0, None]]
