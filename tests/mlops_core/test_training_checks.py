"""Training checks: facts gathered chunk by chunk equal those of the whole frame, and each
threshold of the settings turns into a problem naming its check and column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlops_core.training_checks import TrainingFacts, TrainingFactsAccumulator, training_problems
from mlops_core.validation_settings import ValidationSettings

LIMITS = ValidationSettings(min_rows=4, min_rows_per_class=2, min_target_completeness=0.8, max_duplicate_share=0.25)


def _facts(frame: pd.DataFrame, *, chunk: int | None = None, classification: bool = True) -> TrainingFacts:
    accumulator = TrainingFactsAccumulator(target="y", classification=classification)
    size = chunk or len(frame)
    for start in range(0, len(frame), size):
        accumulator.update(frame.iloc[start:start + size])
    return accumulator.result()


def _checks(frame: pd.DataFrame, limits: ValidationSettings = LIMITS, **options) -> list[tuple[str, str | None]]:
    return [(p.check, p.column) for p in training_problems(_facts(frame, **options), target="y", limits=limits)]


def _frame(n: int = 12, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x": rng.normal(size=n), "c": rng.choice(["u", "v"], n), "y": ["a", "b", "c"] * (n // 3)})


def test_good_data_has_no_problems():
    assert _checks(_frame()) == []


def test_chunked_facts_equal_whole_frame_facts():
    frame = pd.concat([_frame(30), _frame(30).iloc[:9]], ignore_index=True)  # 9 duplicates
    frame.loc[3, "y"] = None  # row 3 no longer equals its copy, row 33
    assert _facts(frame, chunk=7) == _facts(frame)
    assert _facts(frame).duplicate_rows == 8


def test_an_integer_label_read_as_float_in_a_chunk_with_a_gap_is_the_same_class():
    first = pd.DataFrame({"x": [1, 2], "y": [0, 1]})
    second = pd.DataFrame({"x": [3, 4], "y": [1.0, np.nan]})
    accumulator = TrainingFactsAccumulator(target="y", classification=True)
    accumulator.update(first)
    accumulator.update(second)
    assert accumulator.result().class_counts == {"0": 1, "1": 2}


def test_the_facts_survive_a_json_round_trip():
    facts = _facts(_frame())
    assert TrainingFacts.from_dict(facts.to_dict()) == facts


@pytest.mark.parametrize("change, expected", [
    (lambda f: f.assign(y=None), [("target_all_missing", "y")]),
    (lambda f: f.assign(y=["a", None, None] * 4), [("target_incomplete", "y"), ("too_few_classes", "y")]),
    (lambda f: f.iloc[:3], [("too_few_rows", "y"), ("too_few_rows_per_class", "y")]),
    (lambda f: f.assign(y="a"), [("too_few_classes", "y")]),
    (lambda f: f.assign(y=["a"] * 11 + ["b"]), [("too_few_rows_per_class", "y")]),
    (lambda f: pd.concat([f, f.iloc[:5]]), [("duplicate_rows", None)]),
    (lambda f: f.assign(copy=f["y"]), [("target_leakage", "copy")]),
])
def test_each_threshold_is_a_named_problem(change, expected):
    assert _checks(change(_frame())) == expected


def test_a_rare_class_is_named_with_its_count():
    problems = training_problems(_facts(_frame().assign(y=["a"] * 11 + ["b"])), target="y", limits=LIMITS)
    assert "'b' (1)" in problems[0].message and "min_rows_per_class" in problems[0].message


def test_a_column_identical_only_in_some_chunks_is_no_leak():
    frame = _frame().assign(copy=lambda f: f["y"])
    frame.loc[10, "copy"] = "other"
    assert _checks(frame, chunk=5) == []


def test_regression_needs_numbers_and_names_examples():
    frame = pd.DataFrame({"x": range(12), "y": ["1.5"] * 10 + ["n/a?", "12 kg"]})
    problems = training_problems(_facts(frame, classification=False), target="y", limits=LIMITS)
    assert [(p.check, p.column) for p in problems] == [("target_not_numeric", "y")]
    assert "'n/a?', '12 kg'" in problems[0].message


def test_a_classification_target_with_more_than_1000_values_is_a_regression_target():
    frame = pd.DataFrame({"x": range(1500), "y": np.arange(1500) * 0.5})
    assert ("too_many_classes", "y") in _checks(frame, limits=ValidationSettings())


def test_a_row_repeated_in_a_chunk_read_as_float_is_still_a_duplicate():
    accumulator = TrainingFactsAccumulator(target="y", classification=True)
    accumulator.update(pd.DataFrame({"x": [1, 2], "s": ["a", None], "y": ["p", "q"]}))
    accumulator.update(pd.DataFrame({"x": [1.0, np.nan], "s": ["a", None], "y": ["p", "q"]}))
    assert accumulator.result().duplicate_rows == 1
