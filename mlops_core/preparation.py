"""PrepareData's core, one implementation for both paths: the PrepareData Lambda (bytes in,
bytes out, `prepare_split`) and the Processing job that prepares large objects (a local file
in, two local files out, `split_csv`).

Rows without a target value cannot be learned from or scored, so they are dropped here once;
every other cell goes out exactly as it came in (read as text, as csv_reading reads), with the
same columns in the same order.

Memory is bounded whatever the file size: the CSV is read twice in chunks (as the streaming
validation profile reads it). The first pass keeps one small integer per labelled row (its
class), enough to draw the deterministic split; the second writes each chunk's rows to their
part. A 2 GiB object therefore needs about one chunk plus a few bytes per row, not the many
gigabytes a DataFrame of the whole file would.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import pandas as pd

from mlops_core.csv_errors import CsvReadError
from mlops_core.csv_reading import write_csv_bytes
from mlops_core.data_profile import CHUNK_CELLS, MIN_CHUNK_ROWS
from mlops_core.settings import DataSettings
from mlops_core.splits import split_indices

# The file names of the two parts under paths.train and paths.test (both paths write them).
TRAIN_FILE = "train.csv"
TEST_FILE = "test.csv"
# Every cell as text, a first column never taken for the index, a byte-order mark dropped:
# the values must go out unchanged (see csv_reading.read_csv).
_READ = {"dtype": str, "index_col": False, "encoding": "utf-8-sig"}


@dataclass(frozen=True)
class SplitCounts:
    train_rows: int
    test_rows: int
    dropped_rows: int  # rows without a target value


@dataclass(frozen=True)
class PreparedSplit:
    train_csv: bytes
    test_csv: bytes
    train_rows: int
    test_rows: int
    dropped_rows: int


def prepare_split(data: bytes, settings: DataSettings) -> PreparedSplit:
    """`split_csv` on bytes: both parts as CSV bytes (the Lambda puts them to S3)."""
    train, test = io.BytesIO(), io.BytesIO()
    counts = split_csv(io.BytesIO(data), settings, train=train, test=test)
    return PreparedSplit(train_csv=train.getvalue(), test_csv=test.getvalue(), train_rows=counts.train_rows,
                         test_rows=counts.test_rows, dropped_rows=counts.dropped_rows)


def split_csv(source: BinaryIO, settings: DataSettings, *, train: BinaryIO, test: BinaryIO,
              chunk_rows: int | None = None) -> SplitCounts:
    """Drop rows missing the target, split deterministically (mlops_core.splits: stratified for
    classification), write both parts with the header row. `source` must be seekable (it is
    read twice). Raises ValueError (CsvReadError is one) in plain words when the data cannot be
    split; validation runs first, so this only happens if the data changed in between."""
    columns = _columns(source)
    if settings.target not in columns:
        raise ValueError(f"the target column '{settings.target}' is not in the header: {columns}")
    rows = chunk_rows or max(MIN_CHUNK_ROWS, CHUNK_CELLS // max(1, len(columns)))
    total, labels = _labels(source, settings, rows)
    train_rows, test_rows = split_indices(len(labels), test_size=settings.test_size, seed=settings.random_seed,
                                          labels=labels if settings.is_classification else None)
    in_test = np.zeros(len(labels), dtype=bool)
    in_test[test_rows] = True
    _write_parts(source, settings.target, rows, in_test, train=train, test=test)
    return SplitCounts(train_rows=len(train_rows), test_rows=len(test_rows), dropped_rows=total - len(labels))


def _columns(source: BinaryIO) -> list[str]:
    source.seek(0)
    with _reading():
        return [str(name) for name in pd.read_csv(source, nrows=0, **_READ).columns]


def _labels(source: BinaryIO, settings: DataSettings, rows: int) -> tuple[int, np.ndarray]:
    """(rows read, one label per labelled row). Classes are kept as small codes and handed to
    the split as zero-padded ranks of their names: the split orders classes by sorting the label
    strings, and the padded ranks sort in exactly that order, so it draws the same rows as it
    would from the names themselves, at a few bytes per row."""
    codes: list[np.ndarray] = []
    classes: dict[str, int] = {}  # name -> code, in order of first appearance
    total = 0
    for chunk in _chunks(source, rows, usecols=[settings.target]):
        total += len(chunk)
        local, uniques = pd.factorize(chunk[settings.target].dropna())
        code_of = np.array([classes.setdefault(name, len(classes)) for name in uniques], dtype=np.int64)
        codes.append(code_of[local] if len(local) else np.zeros(0, dtype=np.int64))
    all_codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)
    if not classes:
        return total, np.zeros(0, dtype=str)
    _, rank = np.unique(np.asarray(list(classes), dtype=str), return_inverse=True)
    width = len(str(len(classes)))
    padded = np.array([f"{r:0{width}d}" for r in range(len(classes))])
    return total, padded[rank[all_codes]]


def _write_parts(source: BinaryIO, target: str, rows: int, in_test: np.ndarray, *, train: BinaryIO,
                 test: BinaryIO) -> None:
    header: bytes | None = None
    position = 0  # labelled rows seen so far: their index into in_test
    for chunk in _chunks(source, rows):
        if header is None:
            header = write_csv_bytes(chunk.iloc[:0])
            train.write(header)
            test.write(header)
        labelled = chunk[chunk[target].notna()]
        to_test = in_test[position:position + len(labelled)]
        position += len(labelled)
        # write_csv_bytes is the one CSV writer; each chunk's copy of the header is cut off.
        train.write(write_csv_bytes(labelled[~to_test])[len(header):])
        test.write(write_csv_bytes(labelled[to_test])[len(header):])
    if position != len(in_test):
        raise ValueError(f"the file changed while it was split: {position} labelled rows on the second reading, "
                         f"{len(in_test)} on the first")


def _chunks(source: BinaryIO, rows: int, **options) -> Iterator[pd.DataFrame]:
    source.seek(0)
    with _reading():
        yield from pd.read_csv(source, chunksize=rows, **_READ, **options)


@contextmanager
def _reading() -> Iterator[None]:
    """pandas' errors in the words csv_reading uses for them."""
    try:
        with warnings.catch_warnings():
            # pandas silently drops trailing fields of a row longer than the header otherwise.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            yield
    except pd.errors.EmptyDataError:
        raise CsvReadError("empty_file", "the file has no header row (it is empty or only blank lines)") from None
    except pd.errors.ParserWarning:
        raise CsvReadError("csv_syntax", "some rows have more fields than the header row") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        text = " ".join(str(error).split()).removeprefix("Error tokenizing data. C error: ")
        raise CsvReadError("csv_syntax", f"the file cannot be parsed as CSV: {text}") from None
