"""SageMaker Processing script: split an uploaded CSV too large for the PrepareData Lambda.

The same code as the Lambda (mlops_core.preparation) writes `train.csv` and `test.csv`, byte for
byte what the Lambda would write for the same data and settings, to the two output folders
SageMaker uploads to `paths.train` and `paths.test`. It reads the file twice in chunks, so its
memory stays bounded (about one chunk plus a few bytes per row) whatever the object's size.
A small result file reports the rows of each part and the rows dropped for a missing target;
the state machine turns it into the same `$.prepare` the Lambda returns.

The input is the object's key, not its version (Processing inputs have no version id): a file
whose size differs from the validated version's was overwritten meanwhile and is refused, as
validation refuses it (`object_changed`).

A failure writes `Preparation failed: <reason>` to stderr and the message file (the job's
ExitMessage) and exits 1. The settings arrive as arguments (`--target=species`).
"""
from __future__ import annotations

import sys
from pathlib import Path

# Same sibling-import arrangement as train.py: the archive root is the working directory.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402

from job_errors import JobArgumentParser, JobError, processing_main  # noqa: E402
from validate import data_file  # noqa: E402
from mlops_core.preparation import TEST_FILE, TRAIN_FILE, SplitCounts, split_csv  # noqa: E402
from mlops_core.settings import PROBLEM_TYPES, DataSettings  # noqa: E402

LOG = logging.getLogger("prepare")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = JobArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--data-dir", default="/opt/ml/processing/data")
    parser.add_argument("--train-dir", default="/opt/ml/processing/train")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test")
    parser.add_argument("--result-file", default="/opt/ml/processing/result/result.json")
    parser.add_argument("--message-file", default="/opt/ml/output/message")
    parser.add_argument("--target", required=True)
    parser.add_argument("--problem-type", choices=PROBLEM_TYPES, required=True)
    # Checked by DataSettings, as the Lambda checks the same settings.
    parser.add_argument("--test-size")
    parser.add_argument("--random-seed")
    parser.add_argument("--expected-bytes", type=int, required=True, help="the size of the uploaded version")
    return parser.parse_args(argv)


def settings_of(args: argparse.Namespace) -> DataSettings:
    try:
        return DataSettings.from_settings({"target": args.target, "problem_type": args.problem_type,
                                           "test_size": args.test_size, "random_seed": args.random_seed})
    except ValueError as error:
        raise JobError(str(error)) from None


def run(args: argparse.Namespace) -> SplitCounts:
    settings = settings_of(args)
    path = data_file(args.data_dir)
    size = path.stat().st_size
    if size != args.expected_bytes:
        raise JobError(f"the object {path.name} is {size} bytes now but the validated version has "
                       f"{args.expected_bytes}: it was overwritten after the upload that started this run "
                       "(the newer upload starts its own run)")
    LOG.info("Splitting %s (%d bytes)", path.name, size)
    parts = [Path(args.train_dir) / TRAIN_FILE, Path(args.test_dir) / TEST_FILE]
    try:
        counts = _split(path, settings, *parts)
    except BaseException as error:
        # SageMaker uploads a failed job's outputs too: half a split must not replace a whole one.
        for part in parts:
            part.unlink(missing_ok=True)
        if isinstance(error, ValueError):  # CsvReadError too: the data's problem, in plain words
            raise JobError(str(error)) from None
        raise
    result = Path(args.result_file)
    result.parent.mkdir(parents=True, exist_ok=True)
    result.write_text(json.dumps({"train": {"rows": counts.train_rows}, "test": {"rows": counts.test_rows},
                                  "dropped_rows": counts.dropped_rows}) + "\n", encoding="utf-8")
    LOG.info("Prepared %d train and %d test rows; dropped %d without a target", counts.train_rows,
             counts.test_rows, counts.dropped_rows)
    return counts


def _split(path: Path, settings: DataSettings, train_file: Path, test_file: Path) -> SplitCounts:
    train_file.parent.mkdir(parents=True, exist_ok=True)
    test_file.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "rb") as source, open(train_file, "wb") as train, open(test_file, "wb") as test:
        return split_csv(source, settings, train=train, test=test)


def main(argv: list[str] | None = None) -> int:
    return processing_main("Preparation", argv, parse_args=parse_args, run=run, log=LOG)


if __name__ == "__main__":
    sys.exit(main())
