"""The capture lines of a window -> captured requests -> DataFrame chunks of the features.

Streams: lines come from an iterator (S3 bodies read line by line, or local files in the
Processing job), and rows leave in chunks of ``chunk_rows`` for the StatisticsAccumulator, so
memory is one chunk plus the accumulator's bounded state, whatever the window holds.
A line or request that cannot be read is counted (with a few examples) and skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pandas as pd

from mlops_core.data_capture import CapturedRequest, parse_request_line
from mlops_core.monitoring.inputs import Row, UnparseableRecord, request_rows
from mlops_core.monitoring.layout import FeatureLayout
from mlops_core.monitoring.request import Window

DEFAULT_CHUNK_ROWS = 50_000
MAX_EXAMPLES = 5


@dataclass
class WindowTally:
    """What the window held: requests in it, rows read from them, records that could not be read."""

    requests: int = 0
    records: int = 0
    unparseable: int = 0
    examples: list[str] = field(default_factory=list)

    def reject(self, where: str, reason: str) -> None:
        self.unparseable += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(f"{where}: {reason}")


def window_requests(lines: Iterable[tuple[str, str]], window: Window, tally: WindowTally) -> Iterator[CapturedRequest]:
    """The captured requests of ``window`` from (source name, line) pairs; blank lines are skipped."""
    for where, line in lines:
        if not line.strip():
            continue
        try:
            request = parse_request_line(line)
        except ValueError as error:  # json.JSONDecodeError is one
            tally.reject(where, f"not a capture line: {error}")
            continue
        if window.holds(request.inference_time):
            tally.requests += 1
            yield request


def feature_chunks(requests: Iterable[CapturedRequest], layout: FeatureLayout, tally: WindowTally, *,
                   chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    rows: list[Row] = []
    for request in requests:
        try:
            parsed = request_rows(request, layout)
        except UnparseableRecord as error:
            tally.reject(f"event {request.event_id}", str(error))
            continue
        rows += parsed
        tally.records += len(parsed)
        if len(rows) >= chunk_rows:
            yield _frame(rows, layout)
            rows = []
    if rows:
        yield _frame(rows, layout)


def _frame(rows: list[Row], layout: FeatureLayout) -> pd.DataFrame:
    # Object columns: the statistics core types every value itself (Deequ's rules), as it does
    # for CSV text, so "39.1" from a CSV request and 39.1 from a JSON one count alike.
    return pd.DataFrame(rows, columns=list(layout.features), dtype=object)
