"""64-bit row hashes for duplicate detection over chunks.

Memory: 8 bytes per distinct row (16 while the chunks' hashes are merged at the end). Two
different rows share a hash with probability about rows**2 / 2**65 (3 in 10,000 for 100
million rows, and then one row is miscounted), negligible for a duplicate share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def row_hashes(chunk: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash per row, equal for equal rows within this process.

    Python's own string hash (SipHash, cached on the string) is several times faster than
    pandas' hashing of text columns; it is salted per process, which is fine because the
    hashes never leave the run. Numbers hash by their float64 bits, so a row hashes the same
    in a chunk read as int and one read as float; a missing value hashes as one constant.
    """
    mixed = np.zeros(len(chunk), dtype=np.uint64)
    for _, column in chunk.items():
        mixed = _mix(mixed * _PRIME ^ _column_hashes(column))
    return mixed


_PRIME = np.uint64(0x100000001B3)
_MISSING = np.uint64(0x9E3779B97F4A7C15)


def _column_hashes(column: pd.Series) -> np.ndarray:
    missing = column.isna().to_numpy()
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        values = column.to_numpy(dtype="float64", na_value=np.nan) + 0.0  # -0.0 becomes 0.0
        hashes = values.view(np.uint64).copy()
    else:
        values = column.to_numpy(dtype=object)
        hashes = np.fromiter(map(hash, values), dtype=np.int64, count=len(values)).view(np.uint64)
    hashes[missing] = _MISSING
    return hashes


def _mix(h: np.ndarray) -> np.ndarray:
    # splitmix64's finaliser: every input bit reaches every output bit.
    h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))
