"""The corpus of bad training data from issue 3, each built from the good penguins file so it
is wrong in exactly one way, with the check and column its rejection must name.

Used end to end (test_bad_inputs.py) and by the unit tests of the validation core, so the
same files are judged the same way at both levels. The model's target is `species` and its
contract is established from the whole penguins file first.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

TARGET = "species"


@dataclass(frozen=True)
class BadInput:
    body: bytes
    check: str
    column: str | None


def _frame(good: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(good), keep_default_na=False, dtype=str)  # values as written


def _csv(frame: pd.DataFrame, **options) -> bytes:
    return frame.to_csv(index=False, **options).encode("utf-8")


def good_second_batch(good: bytes) -> bytes:
    """A fresh sample of the same source: every class, the same columns and categories."""
    return _csv(_frame(good).sample(frac=0.6, random_state=7))


def bad_inputs(good: bytes, *, max_field_bytes: int) -> dict[str, BadInput]:
    frame = _frame(good)
    lines = good.decode("utf-8").splitlines(keepends=True)
    short = [line.rsplit(",", 1)[0] + "\n" if i in (5, 9) else line for i, line in enumerate(lines)]
    enormous = frame.copy()
    enormous.loc[3, "island"] = "Biscoe " * (max_field_bytes // 7 + 10)
    islands = frame.copy()
    islands["island"] = [f"Island {i}" for i in range(len(frame))]
    renamed = frame.rename(columns={"bill_depth_mm": "island"})
    # Latin-1, as a spreadsheet in a western locale saves "CSV" by default.
    latin1 = _csv(frame.assign(island=frame["island"].str.replace("Biscoe", "Bíscoe"))).decode().encode("latin-1")
    # The first bytes of an .xlsx file (a ZIP archive) and more binary after them.
    xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)) * 16
    return {
        "empty file": BadInput(b"", "empty_file", None),
        "header only": BadInput(lines[0].encode(), "header_only", None),
        "binary garbage": BadInput(xlsx, "binary_content", None),
        "non-UTF-8 text": BadInput(latin1, "text_encoding", None),
        "wrong delimiter": BadInput(_csv(frame, sep=";"), "wrong_delimiter", None),
        "ragged rows": BadInput("".join(short).encode(), "ragged_rows", None),
        "duplicated column names": BadInput(_csv(renamed), "duplicate_columns", "island"),
        "missing target": BadInput(_csv(frame.drop(columns=[TARGET])), "missing_target_column", TARGET),
        "target all missing": BadInput(_csv(frame.assign(species="")), "target_all_missing", TARGET),
        "a single class": BadInput(_csv(frame[frame[TARGET] == "Adelie"]), "too_few_classes", TARGET),
        "numeric column became text": BadInput(
            _csv(frame.assign(bill_length_mm=frame["bill_length_mm"] + " mm")), "data_type_check", "bill_length_mm"),
        "contract column missing": BadInput(_csv(frame.drop(columns=["year"])), "missing_column_check", "year"),
        "unexpected extra column": BadInput(_csv(frame.assign(colour="grey")), "extra_column_check", "colour"),
        "column now all missing": BadInput(_csv(frame.assign(sex="")), "completeness_check", "sex"),
        "flood of unseen categories": BadInput(_csv(islands), "categorical_values_check", "island"),
        "too few rows": BadInput(_csv(frame.groupby(TARGET).head(4)), "too_few_rows", TARGET),
        "column identical to target": BadInput(_csv(frame.assign(label=frame[TARGET])), "target_leakage", "label"),
        "enormous field": BadInput(_csv(enormous), "enormous_field", "island"),
    }
