"""The helpers behind the job scripts: column typing, value coercion, failure files and messages."""
from __future__ import annotations

import argparse
import logging

import numpy as np
import pandas as pd
import pytest

from sagemaker_jobs import estimators, features, job_errors, table_schema


def frame_of(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns).astype(object)


def test_numbers_as_text_are_numeric_and_other_text_categorical():
    found, _ = features.infer_features(
        frame_of(y=["a", "b", "a"], n=["1", "2.5", None], c=["x", "1", "y"], b=["True", "False", "True"]), "y")
    assert found == [{"name": "n", "type": "numeric"}, {"name": "c", "type": "categorical"},
                     {"name": "b", "type": "categorical"}]


def test_low_cardinality_integers_stay_numeric():
    found, _ = features.infer_features(frame_of(y=list("ab") * 10, year=["2007", "2008"] * 10), "y")
    assert found == [{"name": "year", "type": "numeric"}]


def test_saved_row_index_is_dropped():
    _, dropped = features.infer_features(frame_of(y=list("ab") * 3, **{"Unnamed: 0": list("012345")}), "y")
    assert "row index" in dropped["Unnamed: 0"]


def test_repeated_text_categories_are_kept_even_when_many():
    values = [f"city-{i % 25}" for i in range(100)]
    found, dropped = features.infer_features(frame_of(y=["a"] * 100, city=values), "y")
    assert (found, dropped) == ([{"name": "city", "type": "categorical"}], {})


def test_missing_tokens_are_missing_in_json_values_too():
    assert table_schema.is_missing(pd.Series(["NA", "", None, np.nan, "n/a", "x", 0])).tolist() == [
        True, True, True, True, True, False, False]


def test_coerce_features_types_and_orders_columns():
    frame = frame_of(b=["x", None], a=["1.5", "NA"], extra=["?", "?"])
    coerced = table_schema.coerce_features(frame, [{"name": "a", "type": "numeric"},
                                                   {"name": "b", "type": "categorical"}])
    assert list(coerced.columns) == ["a", "b"]
    assert coerced["a"].iloc[0] == 1.5 and np.isnan(coerced["a"].iloc[1])
    assert coerced["b"].iloc[0] == "x" and coerced["b"].isna().iloc[1]


def test_booleans_in_numeric_columns_are_rejected():
    with pytest.raises(table_schema.SchemaError, match=r"a \(got True\)"):
        table_schema.coerce_features(frame_of(a=[True]), [{"name": "a", "type": "numeric"}])


@pytest.mark.parametrize("text, value", [
    ("3", 3), ("0.25", 0.25), ("1e-3", 0.001), ("TRUE", True), ("false", False),
    ("None", None), ("null", None), ("sqrt", "sqrt"), ('"balanced"', "balanced"),
])
def test_hyperparameter_text_is_coerced(text, value):
    assert estimators.coerce_value(text) == value and type(estimators.coerce_value(text)) is type(value)


def test_random_state_comes_from_the_seed():
    estimator = estimators.make_estimator("random_forest", "regression", {"max_depth": 2}, seed=7)
    assert (estimator.random_state, estimator.max_depth) == (7, 2)


def test_failure_file_is_one_paragraph_and_bounded(tmp_path):
    path = job_errors.write_failure(tmp_path / "out", "line one\nline two " + "x" * 2000)
    text = path.read_text()
    assert text.startswith("line one line two") and text.endswith("...\n")
    assert len(text) <= job_errors.MAX_REASON_CHARS + 1


def _processing_main(tmp_path, run, argv=None, **options) -> int:
    parser = job_errors.JobArgumentParser(allow_abbrev=False)
    parser.add_argument("--message-file", default=str(tmp_path / "message"))
    return job_errors.processing_main("Checking", [] if argv is None else argv, parse_args=parser.parse_args,
                                      run=run, log=logging.getLogger("test"), **options)


def _fails_with(error: Exception):
    def run(_args):
        raise error
    return run


def test_a_processing_script_that_runs_exits_0_and_leaves_no_message(tmp_path):
    assert _processing_main(tmp_path, lambda args: None) == 0
    assert not (tmp_path / "message").exists()


def test_a_users_problem_is_the_whole_message(tmp_path, capsys):
    assert _processing_main(tmp_path, _fails_with(job_errors.JobError("No input file in /data."))) == 1
    assert (tmp_path / "message").read_text() == "Checking failed: No input file in /data.\n"
    assert "Checking failed: No input file in /data." in capsys.readouterr().err


def test_an_unexpected_error_is_named_by_its_type_and_bounded(tmp_path):
    assert _processing_main(tmp_path, _fails_with(KeyError("x" * 2000))) == 1
    text = (tmp_path / "message").read_text()
    assert text.startswith("Checking failed with an unexpected KeyError: 'xxx")
    assert len(text) == job_errors.MAX_REASON_CHARS + 1


def test_other_user_error_types_and_bad_arguments_are_told_as_they_are(tmp_path):
    message = tmp_path / "default" / "message"
    assert _processing_main(tmp_path, lambda args: None, argv=["--nope"], message_file=str(message)) == 1
    assert message.read_text().startswith("Checking failed: Invalid arguments: unrecognized arguments: --nope")
    assert _processing_main(tmp_path, _fails_with(table_schema.SchemaError("no column y")),
                            errors=(job_errors.JobError, table_schema.SchemaError)) == 1
    assert (tmp_path / "message").read_text() == "Checking failed: no column y\n"


def test_without_a_message_file_the_reason_goes_to_stderr_only(tmp_path, capsys):
    code = job_errors.processing_main("Checking", [], parse_args=lambda argv: argparse.Namespace(),
                                      run=_fails_with(job_errors.JobError("bad")),
                                      log=logging.getLogger("test"), message_file=None)
    assert code == 1 and "Checking failed: bad" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("style", ["separate", "joined"])
def test_arguments_that_do_not_parse_leave_their_reason_in_the_message_file_they_name(tmp_path, style):
    """The embedded cloud rebases /opt/ml in arguments only: the default path must not be used
    when the arguments name one, even if they do not parse."""
    named = tmp_path / "named" / "message"
    where = ["--message-file", str(named)] if style == "separate" else [f"--message-file={named}"]
    default = tmp_path / "default" / "message"
    assert _processing_main(tmp_path, lambda args: None, argv=[*where, "--nope"], message_file=str(default)) == 1
    assert named.read_text().startswith("Checking failed: Invalid arguments: unrecognized arguments: --nope")
    assert not default.exists()
