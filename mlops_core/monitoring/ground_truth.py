"""Ground truth labels, keyed by the inferenceId they label.

Model Monitor's format (docs/contracts.md "Monitoring"), one JSON line per labelled inference:
`{"groundTruthData": {"data": "<label>", "encoding": "CSV"|"JSON"|"BASE64"}, "eventMetadata":
{"eventId": "<the request's inferenceId>"}, "eventVersion": "0"}`; for convenience also CSV
files `inference_id,label` (a header row of exactly those names is skipped). Labels arrive late
and in parts: every file under the model's prefix is read, and a later line for the same id
replaces an earlier one (a corrected label).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from mlops_core.data_capture import decode

CSV_HEADER = ("inference_id", "label")
MAX_EXAMPLES = 5


@dataclass
class GroundTruth:
    labels: dict[str, str] = field(default_factory=dict)  # inferenceId -> label as text
    unparseable: int = 0
    examples: list[str] = field(default_factory=list)

    def reject(self, where: str, reason: str) -> None:
        self.unparseable += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(f"{where}: {reason}")


def read_ground_truth(lines: Iterable[tuple[str, str]], truth: GroundTruth | None = None) -> GroundTruth:
    """(source name, line) pairs of .jsonl and .csv files (the name's suffix tells which)."""
    truth = truth or GroundTruth()
    for where, line in lines:
        if not line.strip():
            continue
        try:
            parsed = _csv_line(line) if where.lower().endswith(".csv") else _json_line(line)
        except ValueError as error:
            truth.reject(where, str(error))
            continue
        if parsed is not None:
            truth.labels[parsed[0]] = parsed[1]
    return truth


def _json_line(line: str) -> tuple[str, str]:
    record = json.loads(line)
    try:
        inference_id = record["eventMetadata"]["eventId"]
        label = decode(record["groundTruthData"])
    except (KeyError, TypeError) as error:
        raise ValueError(f"a ground-truth line lacks {error}") from None
    return str(inference_id), label.strip()


def _csv_line(line: str) -> tuple[str, str] | None:
    cells = [cell.strip() for cell in next(csv.reader([line]), [])]
    if tuple(cell.lower() for cell in cells) == CSV_HEADER:
        return None
    if len(cells) != 2 or not cells[0]:
        raise ValueError(f"expected 'inference_id,label', got {line.strip()[:80]!r}")
    return cells[0], cells[1]
