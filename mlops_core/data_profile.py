"""One pass over an uploaded CSV: what validation needs to judge it, and nothing more.

``profile_csv_stream`` reads any readable byte stream (a file, an S3 body) in chunks and
returns a ``DataProfile``: the problems that stopped reading (empty, binary, wrong encoding,
bad header, ragged rows, an enormous field), or the statistics.json of the data (the shared
data-quality core) and the training facts. The profile is JSON, so the SageMaker Processing
job that profiles large objects hands it to the ValidateData Lambda, which judges both paths
the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlops_core.csv_errors import CsvReadError
from mlops_core.csv_stream import CsvStream, Readable
from mlops_core.data_quality import StatisticsAccumulator
from mlops_core.header_checks import header_problems
from mlops_core.training_checks import TrainingFacts, TrainingFactsAccumulator
from mlops_core.validation_report import Problem

# Cells per chunk: with the text of a cell at a few dozen bytes in pandas, one chunk stays
# around 100 MB whatever the number of columns.
CHUNK_CELLS = 2_000_000
MIN_CHUNK_ROWS = 1_000


@dataclass
class DataProfile:
    bytes_read: int
    columns: list[str] = field(default_factory=list)
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)  # why the data could not be profiled
    statistics: dict | None = None  # statistics.json, features without the target
    training: TrainingFacts | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "bytes_read": self.bytes_read,
            "columns": self.columns,
            "rows": self.rows,
            "problems": [problem.to_dict() for problem in self.problems],
            "statistics": self.statistics,
            "training": self.training.to_dict() if self.training else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DataProfile:
        return cls(
            bytes_read=int(data["bytes_read"]),
            columns=list(data.get("columns") or []),
            rows=int(data.get("rows") or 0),
            problems=[Problem(p["check"], p.get("column"), p["message"]) for p in data.get("problems") or []],
            statistics=data.get("statistics"),
            training=TrainingFacts.from_dict(data["training"]) if data.get("training") else None,
        )


def profile_csv_stream(source: Readable, *, target: str, classification: bool, max_field_bytes: int) -> DataProfile:
    try:
        stream = CsvStream(source, max_field_bytes=max_field_bytes)
    except CsvReadError as error:
        return DataProfile(bytes_read=0, problems=[_problem(error)])
    header = stream.header
    problems = header_problems(header, target)
    if problems:
        return DataProfile(bytes_read=stream.scanner.offset, columns=header, problems=problems)

    statistics = StatisticsAccumulator(target=target)
    facts = TrainingFactsAccumulator(target=target, classification=classification)
    rows = 0
    try:
        for chunk in stream.chunks(max(MIN_CHUNK_ROWS, CHUNK_CELLS // len(header))):
            statistics.update(chunk)
            facts.update(chunk)
            rows += len(chunk)
    except CsvReadError as error:
        return DataProfile(bytes_read=stream.scanner.offset, columns=header, rows=rows, problems=[_problem(error)])

    profile = DataProfile(bytes_read=stream.scanner.offset, columns=header, rows=rows)
    if rows == 0:
        profile.problems = [Problem("header_only", None, "the file has a header row but no data rows")]
        return profile
    missing = stream.missing_fields(rows + 1)
    if missing:
        profile.problems = [Problem("ragged_rows", None, (
            f"some rows have fewer fields than the header's {len(header)}: {missing} field(s) are missing "
            f"in total; every row must have {len(header)} fields (trailing empty fields need their commas)"))]
        return profile
    profile.statistics = statistics.result()
    profile.training = facts.result()
    return profile


def _problem(error: CsvReadError) -> Problem:
    return Problem(error.check, error.column, error.message)
