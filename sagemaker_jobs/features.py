"""Feature types inferred from a training table, and the preprocessing that suits them.

Rules (applied to the text read by table_schema, so they do not depend on pandas' guessing):
- a column whose every value is missing carries nothing: dropped;
- a column whose present values all parse as numbers is numeric, integers included: an integer
  such as a year or a count keeps its order, and an unseen value at inference still scores,
  which a one-hot code would silently ignore;
- any other column is categorical (booleans arrive as "True"/"False" text and land here);
- a categorical column with at least 20 distinct values making up 90% or more of its present
  values looks like an identifier or free text (names, ids): one-hot codes of it memorise rows
  and never match new data, so it is dropped and the model card says why;
- a column pandas named "Unnamed: N" (empty header) whose values are all distinct is a saved
  row index: dropped.
Numeric IDs under a real name are kept: they cannot be told apart from measurements.
"""
from __future__ import annotations

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import table_schema
from table_schema import CATEGORICAL, NUMERIC

ID_MIN_DISTINCT = 20
ID_DISTINCT_SHARE = 0.9


def infer_features(frame: pd.DataFrame, target: str) -> tuple[list[dict], dict[str, str]]:
    """Feature list in column order ([{"name", "type"}]) and the dropped columns with reasons."""
    features, dropped = [], {}
    for name in frame.columns:
        if name == target:
            continue
        kind, reason = _classify(str(name), frame[name])
        if kind is None:
            dropped[str(name)] = reason
        else:
            features.append({"name": str(name), "type": kind})
    return features, dropped


def _classify(name: str, column: pd.Series) -> tuple[str | None, str]:
    present = column[~table_schema.is_missing(column)]
    if present.empty:
        return None, "every value is missing"
    distinct = present.nunique()
    if name.startswith("Unnamed: ") and distinct == len(present):
        return None, "unnamed column of unique values (a saved row index)"
    _, not_numbers = table_schema.to_numbers(present)
    if not not_numbers:
        return NUMERIC, ""
    if distinct >= ID_MIN_DISTINCT and distinct >= ID_DISTINCT_SHARE * len(present):
        return None, (
            f"text column with {distinct} distinct values in {len(present)} rows "
            "looks like an identifier"
        )
    return CATEGORICAL, ""


def build_preprocessor(features: list[dict]) -> ColumnTransformer:
    """Median-impute and scale numbers; impute the most frequent value and one-hot categories."""
    numeric = [f["name"] for f in features if f["type"] == NUMERIC]
    categorical = [f["name"] for f in features if f["type"] == CATEGORICAL]
    parts = []
    if numeric:
        parts.append(("numeric", Pipeline([
            ("impute", SimpleImputer(strategy="median")),
            ("scale", StandardScaler()),
        ]), numeric))
    if categorical:
        parts.append(("categorical", Pipeline([
            ("impute", SimpleImputer(strategy="most_frequent")),
            # Categories never seen in training become all zeros instead of an error.
            ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
        ]), categorical))
    # Dense output: HistGradientBoosting refuses sparse input, and tabular widths stay modest.
    return ColumnTransformer(parts, remainder="drop", sparse_threshold=0.0)
