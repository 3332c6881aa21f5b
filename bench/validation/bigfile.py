"""Write a CSV of at least `target_bytes` from the benchmark's generator, block by block.

Every block has its own seed, so the file holds distinct values throughout: a file made of
one block repeated would hide a per-column state that grows with the number of distinct
values (exact distinct sets, unbounded value counts), which is what the streaming test is for.
Blocks are formatted by two worker processes (pandas' to_csv is the slow part); the parent
only appends bytes, so its memory stays at a few blocks.
"""

from __future__ import annotations

import math
from multiprocessing import get_context
from pathlib import Path

from bench.validation import dataset

BLOCK_ROWS = 250_000
FIRST_SEED = 1000


def _block(index: int) -> bytes:
    frame = dataset.generate(BLOCK_ROWS, FIRST_SEED + index, anomalies=False)
    return frame.to_csv(index=False, header=index == 0).encode()


def write(path: Path, target_bytes: int, *, workers: int = 2) -> tuple[int, int]:
    """(rows, bytes) written to `path`."""
    first = _block(0)
    blocks = max(1, math.ceil(target_bytes / len(first) * 1.01))  # later blocks lack the header
    written, rows = 0, 0
    with path.open("wb") as out, get_context("spawn").Pool(workers) as pool:
        out.write(first)
        written, rows = len(first), BLOCK_ROWS
        # imap keeps the order and hands blocks back as they are ready; chunksize 1 bounds the
        # bytes waiting in the parent to about one block per worker.
        for block in pool.imap(_block, range(1, blocks), chunksize=1):
            if written >= target_bytes:
                break
            out.write(block)
            written += len(block)
            rows += BLOCK_ROWS
    return rows, written
