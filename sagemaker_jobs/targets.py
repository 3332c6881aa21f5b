"""The target column: which rows can train, which problem it is, and its values.

Rows without a target are dropped (with a log line), never imputed: a guessed label would
teach the model its own guess. Classification labels stay text, exactly as in the CSV, so the
model card, the confusion matrix and the endpoint all name classes the way the data does.
"""
from __future__ import annotations

import logging

import pandas as pd

import table_schema
from job_errors import JobError

LOG = logging.getLogger("train")
PROBLEM_TYPES = ("classification", "regression")
MIN_ROWS = 10  # fewer rows leave a holdout too small to say anything
MAX_CLASSES_WHEN_INFERRING = 20  # integer targets with more distinct values are regression


def labelled_rows(frame: pd.DataFrame, target: str, source: str) -> pd.DataFrame:
    if target not in frame.columns:
        raise JobError(
            f"Target column '{target}' is not in the training data ({source}); "
            f"its columns are: {', '.join(map(str, frame.columns))}."
        )
    labelled = frame[~table_schema.is_missing(frame[target])]
    if len(labelled) < len(frame):
        LOG.warning("Dropped %d of %d rows whose target '%s' is missing.",
                    len(frame) - len(labelled), len(frame), target)
    if len(labelled) < MIN_ROWS:
        raise JobError(
            f"Only {len(labelled)} training rows have a value for '{target}'; "
            f"at least {MIN_ROWS} are needed."
        )
    return labelled


def problem_type(given: str | None, column: pd.Series) -> str:
    """The given type, checked; or inferred: text or few distinct integers mean classes."""
    if given:
        if given.lower() not in PROBLEM_TYPES:
            raise JobError(f"--problem-type must be classification or regression, got '{given}'.")
        return given.lower()
    numbers, not_numbers = table_schema.to_numbers(column)
    integral = not not_numbers and bool((numbers == numbers.round()).all())
    few = numbers.nunique() <= MAX_CLASSES_WHEN_INFERRING
    inferred = "classification" if not_numbers or (integral and few) else "regression"
    LOG.info("No --problem-type given: inferred %s from the target values.", inferred)
    return inferred


def target_values(column: pd.Series, kind: str, target: str) -> pd.Series:
    if kind == "regression":
        values, not_numbers = table_schema.to_numbers(column)
        if not_numbers:
            shown = ", ".join(repr(v) for v in not_numbers[:3])
            raise JobError(f"Regression target '{target}' has non-numeric values: {shown}.")
        return values
    labels = table_schema.to_categories(column)
    if labels.nunique() < 2:
        raise JobError(
            f"Classification target '{target}' has a single class ({labels.iloc[0]!r}); "
            "at least two are needed."
        )
    return labels
