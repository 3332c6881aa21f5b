"""statistics.json of a DataFrame (one shot) or of a CSV file (streamed in chunks)."""

from __future__ import annotations

import os
from typing import IO

import pandas as pd

from mlops_core.data_quality.accumulator import DataQualityError, StatisticsAccumulator

DEFAULT_CHUNKSIZE = 100_000


def compute_statistics(frame: pd.DataFrame, *, target: str | None = None, **options) -> dict:
    """statistics.json (Model Monitor's schema) of ``frame``; ``target`` is left out of the features.

    ``options`` go to ``StatisticsAccumulator`` (``max_categories``, ``sketch_k``, ``sketch_c``).
    """
    accumulator = StatisticsAccumulator(target=target, **options)
    accumulator.update(frame)
    return accumulator.result()


def profile_csv(
    fileobj_or_path: str | os.PathLike | IO,
    *,
    chunksize: int = DEFAULT_CHUNKSIZE,
    target: str | None = None,
    max_categories: int | None = None,
    **read_csv_kwargs,
) -> dict:
    """statistics.json of a CSV file read ``chunksize`` rows at a time (memory: one chunk plus
    the bounded per-column state, see ``accumulator.py``). ``read_csv_kwargs`` go to
    ``pandas.read_csv`` (e.g. ``sep``, ``encoding``, ``dtype``).

    Raises DataQualityError with a plain-words reason when the file is not readable CSV.
    """
    options = {} if max_categories is None else {"max_categories": max_categories}
    accumulator = StatisticsAccumulator(target=target, **options)
    try:
        with pd.read_csv(fileobj_or_path, chunksize=chunksize, **read_csv_kwargs) as reader:
            for chunk in reader:
                accumulator.update(chunk)
    except pd.errors.EmptyDataError:
        raise DataQualityError("the file has no header row (it is empty or only blank lines)") from None
    except UnicodeDecodeError as error:
        raise DataQualityError(f"the file is not valid text in the expected encoding: {error}") from None
    except pd.errors.ParserError as error:
        message = " ".join(str(error).split()).removeprefix("Error tokenizing data. C error: ")
        raise DataQualityError(f"the file cannot be parsed as CSV: {message}") from None
    return accumulator.result()
