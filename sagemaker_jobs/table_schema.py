"""Reading CSV files and turning raw values into model inputs, one way for every job.

Every CSV is read as text and converted here by the model card's feature list, so a value means
the same thing in train.csv, test.csv and a one-line request; pandas' own type guessing works
per file and would make "1" an int in one file and a category in another.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

# Shared with the monitor's reading of captured requests; also used for JSON requests, so they
# treat "NA" as CSV does.
from mlops_core.missing_values import MISSING_TOKENS

NUMERIC = "numeric"
CATEGORICAL = "categorical"


class SchemaError(ValueError):
    """Input that does not fit the model's columns; the message names the columns."""


def read_csv_text(source, header: int | None = 0) -> pd.DataFrame:
    """Read a CSV keeping every cell as text (or NaN when it is a missing-value token)."""
    frame = pd.read_csv(
        source, dtype=str, header=header, keep_default_na=False,
        na_values=sorted(MISSING_TOKENS), skipinitialspace=True,
    )
    return frame.astype(object).where(frame.notna(), np.nan)


def csv_files(directory: str | Path) -> list[Path]:
    """Every CSV under a channel folder (any depth), in a stable order."""
    root = Path(directory)
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() == ".csv")


def read_csv_folder(directory: str | Path) -> pd.DataFrame:
    """Concatenate all CSVs of a folder; they must share one header (SchemaError otherwise)."""
    files = csv_files(directory)
    if not files:
        raise SchemaError(f"no CSV files found in {directory}")
    frames = [_read_file(path) for path in files]
    first = list(frames[0].columns)
    for path, frame in zip(files[1:], frames[1:]):
        if list(frame.columns) != first:
            raise SchemaError(
                f"{path.name} has columns {', '.join(map(str, frame.columns))} but "
                f"{files[0].name} has {', '.join(map(str, first))}; all CSVs must share one header"
            )
    return pd.concat(frames, ignore_index=True)


def _read_file(path: Path) -> pd.DataFrame:
    try:
        return read_csv_text(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise SchemaError(f"{path.name} could not be read as CSV: {error}") from error


def is_missing(series: pd.Series) -> pd.Series:
    """True where a value is absent: None, NaN, or a missing-value token such as "NA"."""
    def missing(value) -> bool:
        if isinstance(value, str):
            return value.strip() in MISSING_TOKENS
        return value is None or (np.isscalar(value) and bool(pd.isna(value)))
    return series.map(missing).astype(bool)


def to_numbers(series: pd.Series) -> tuple[pd.Series, list]:
    """Floats (NaN where missing) and the present values that are not numbers."""
    absent = is_missing(series)
    present = series.where(~absent, np.nan)
    values = pd.to_numeric(present.map(_number_text), errors="coerce").astype(float)
    wrong = present[values.isna() & ~absent].unique().tolist()
    # Infinity survives parsing but breaks scaling and imputation: treat it as missing.
    return values.replace([np.inf, -np.inf], np.nan), wrong


def to_categories(series: pd.Series) -> pd.Series:
    """Plain str objects with NaN for missing: what SimpleImputer and OneHotEncoder expect."""
    absent = is_missing(series)
    text = series.map(lambda v: v.strip() if isinstance(v, str) else str(v))
    return text.where(~absent, np.nan).astype(object)


def coerce_features(frame: pd.DataFrame, features: list[dict]) -> pd.DataFrame:
    """The model's feature columns, in card order, typed as at training time."""
    names = [f["name"] for f in features]
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise SchemaError(
            f"missing column(s): {', '.join(missing)} (the model needs: {', '.join(names)})"
        )
    columns, problems = {}, []
    for feature in features:
        name = feature["name"]
        if feature["type"] == NUMERIC:
            columns[name], wrong = to_numbers(frame[name])
            if wrong:
                shown = ", ".join(repr(v) for v in wrong[:3])
                problems.append(f"{name} (got {shown})")
        else:
            columns[name] = to_categories(frame[name])
    if problems:
        raise SchemaError(f"non-numeric values in numeric column(s): {'; '.join(problems)}")
    return pd.DataFrame(columns, index=frame.index)


def _number_text(value):
    # Booleans are not numbers here: true in a numeric column is a client mistake, not 1.0,
    # so it becomes None, fails to parse and is reported (as do nested JSON lists and objects).
    if isinstance(value, (bool, np.bool_)) or isinstance(value, (list, dict)):
        return None
    return value.strip() if isinstance(value, str) else value
