"""PrepareData's core: CSV bytes in, train and test CSV bytes out.

Rows without a target value cannot be learned from or scored, so they are dropped here once;
every other cell goes out exactly as it came in (see csv_reading), with the same columns in
the same order.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlops_core.csv_reading import read_csv, write_csv_bytes
from mlops_core.settings import DataSettings
from mlops_core.splits import split_indices


@dataclass(frozen=True)
class PreparedSplit:
    train_csv: bytes
    test_csv: bytes
    train_rows: int
    test_rows: int
    dropped_rows: int  # rows without a target value


def prepare_split(data: bytes, settings: DataSettings) -> PreparedSplit:
    """Drop rows missing the target, split deterministically, return both parts as CSV.

    Raises ValueError (CsvReadError is one) in plain words when the data cannot be split;
    validation runs first, so this only happens if the data changed meaning in between.
    """
    _, frame = read_csv(data)
    if settings.target not in frame.columns:
        raise ValueError(f"the target column '{settings.target}' is not in the header: {list(frame.columns)}")
    labelled = frame[frame[settings.target].notna()].reset_index(drop=True)
    labels = labelled[settings.target].to_numpy() if settings.is_classification else None
    train_rows, test_rows = split_indices(
        len(labelled), test_size=settings.test_size, seed=settings.random_seed, labels=labels
    )
    train, test = labelled.iloc[train_rows], labelled.iloc[test_rows]
    return PreparedSplit(
        train_csv=write_csv_bytes(train),
        test_csv=write_csv_bytes(test),
        train_rows=len(train),
        test_rows=len(test),
        dropped_rows=len(frame) - len(labelled),
    )
