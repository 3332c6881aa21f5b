"""SageMaker Processing script: profile an uploaded CSV too large for the ValidateData Lambda.

The same code as the Lambda (mlops_core.data_profile) reads the file in chunks with bounded
memory and writes `profile.json` to the output folder: the problems that stopped reading, or
the statistics and the training facts. The ValidateData Lambda then judges that profile
against the model's data contract exactly as it judges its own, so both paths give the same
result and write the same reports.

Bad data is not a job failure (it is in the profile); only an unusable setup is: then the
reason goes to stderr and `/opt/ml/output/message`, and the exit status is 1.

The few settings profiling needs arrive as arguments (`--target=species`): the state machine
builds them from the run's settings.
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
from mlops_core.data_profile import DataProfile, profile_csv_stream  # noqa: E402
from mlops_core.settings import PROBLEM_TYPES  # noqa: E402
from mlops_core.validation_settings import ValidationSettings  # noqa: E402

LOG = logging.getLogger("validate")
PROFILE_FILE = "profile.json"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = JobArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--data-dir", default="/opt/ml/processing/data")
    parser.add_argument("--output-dir", default="/opt/ml/processing/quality")
    parser.add_argument("--message-file", default="/opt/ml/output/message")
    parser.add_argument("--target", required=True)
    parser.add_argument("--problem-type", choices=PROBLEM_TYPES, required=True)
    parser.add_argument("--max-field-bytes", type=int, default=ValidationSettings().max_field_bytes)
    return parser.parse_args(argv)


def data_file(data_dir: str | Path) -> Path:
    """The uploaded object. The input is an S3Prefix equal to its key, so SageMaker also copies
    keys that merely start with it (`x.csv.bak` for `x.csv`): the object itself is the shortest."""
    files = sorted((p for p in Path(data_dir).rglob("*") if p.is_file()),
                   key=lambda p: (len(p.relative_to(data_dir).as_posix()), p.as_posix()))
    if not files:
        raise JobError(f"No input file in {data_dir}: the 'data' ProcessingInput brought nothing.")
    return files[0]


def run(args: argparse.Namespace) -> DataProfile:
    path = data_file(args.data_dir)
    LOG.info("Profiling %s (%d bytes)", path.name, path.stat().st_size)
    with open(path, "rb") as source:
        profile = profile_csv_stream(source, target=args.target, classification=args.problem_type == "classification",
                                     max_field_bytes=args.max_field_bytes)
    output = Path(args.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    (output / PROFILE_FILE).write_text(json.dumps(profile.to_dict()) + "\n", encoding="utf-8")
    LOG.info("Profiled %d rows, %d columns; %d problem(s) stopped reading", profile.rows, len(profile.columns),
             len(profile.problems))
    return profile


def main(argv: list[str] | None = None) -> int:
    return processing_main("Validation", argv, parse_args=parse_args, run=run, log=LOG)


if __name__ == "__main__":
    sys.exit(main())
