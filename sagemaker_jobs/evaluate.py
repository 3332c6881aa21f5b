"""SageMaker Processing script: score the held-out test split, re-score the champion on the
same rows, and decide the gate.

Writes to the output folder:
- `evaluation.json`: the candidate's report in Model Monitor's model-quality statistics format
  (multiclass, binary or regression section), referenced from the package's ModelMetrics;
- `champion_evaluation.json`: the same report for the approved version (`--champion-dir`),
  when there is one and it could score these rows;
- `gate.json`: the decision of mlops_core.gate_decision with both scores and the reason.

A model directory may hold `model.tar.gz` (a training job's artifact) or the files
themselves. A champion that cannot score the rows (say, a column it needs is gone) is recorded
as not comparable, not as a failure. On failure the reason is printed to stderr and the exit
status is 1, which the Processing job reports as its FailureReason.
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

import scoring  # noqa: E402
import table_schema  # noqa: E402
from job_errors import JobArgumentParser, JobError, processing_main  # noqa: E402
from mlops_core.gate import GateError, GateSettings, check_settings  # noqa: E402
from mlops_core.gate_decision import Champion, decide  # noqa: E402

LOG = logging.getLogger("evaluate")
REPORT_FILE = "evaluation.json"
CHAMPION_REPORT_FILE = "champion_evaluation.json"
GATE_FILE = "gate.json"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = JobArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--model-dir", default="/opt/ml/processing/model")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test")
    parser.add_argument("--output-dir", default="/opt/ml/processing/evaluation")
    parser.add_argument("--champion-dir", default=None, help="The approved version's model artifact.")
    parser.add_argument("--champion", type=_json_object, default=None,
                        help='JSON {"model_package_arn": ..., "version": N} naming the approved version.')
    parser.add_argument("--gate", type=_json_object, default={},
                        help='JSON {"metric", "threshold", "tolerance"}; defaults per problem type.')
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> dict:
    """Write the reports and gate.json to the output folder; return the gate decision."""
    frame = table_schema.read_csv_folder(args.test_dir)
    pipeline, card = scoring.load(Path(args.model_dir))
    candidate = scoring.report(pipeline, card, frame, args.test_dir)
    try:
        settings = GateSettings.from_dict(args.gate, card["problem_type"])
        check_settings(card["problem_type"], settings)
    except (GateError, TypeError, ValueError) as error:
        raise JobError(f"Invalid --gate {json.dumps(args.gate)}: {error}.") from error
    champion = _champion(args, frame, card)
    decision = decide(candidate, champion, settings)
    output = Path(args.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    _write(output / REPORT_FILE, candidate)
    if champion and champion.report:
        _write(output / CHAMPION_REPORT_FILE, champion.report)
    _write(output / GATE_FILE, decision)
    _print_metrics("test", candidate)
    if champion and champion.report:
        _print_metrics("champion", champion.report)
    LOG.info("Gate: %s", decision["cause"])
    return decision


def _champion(args: argparse.Namespace, frame, card: dict) -> Champion | None:
    if not args.champion_dir:
        return None
    named = args.champion or {}
    arn, version = str(named.get("model_package_arn") or "unknown"), named.get("version")
    try:
        pipeline, champion_card = scoring.load(Path(args.champion_dir))
        if (champion_card["target"], champion_card["problem_type"]) != (card["target"], card["problem_type"]):
            raise JobError(f"it predicts '{champion_card['target']}' ({champion_card['problem_type']}), "
                           f"the new model '{card['target']}' ({card['problem_type']})")
        return Champion(arn, version, report=scoring.report(pipeline, champion_card, frame, args.test_dir))
    except Exception as error:  # noqa: BLE001 - any reason the old model cannot score is recorded
        LOG.warning("The champion could not be scored: %s", error, exc_info=not isinstance(
            error, (JobError, table_schema.SchemaError)))
        return Champion(arn, version, error=str(error).rstrip("."))


def _write(path: Path, content: dict) -> None:
    path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")


def _print_metrics(prefix: str, report: dict) -> None:
    for section, metrics in report.items():
        if section.endswith("_metrics"):
            for name, value in metrics.items():
                if isinstance(value, dict) and "value" in value:
                    print(f"{prefix}:{name}={value['value']:.6f}", flush=True)


def _json_object(text: str) -> dict:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise argparse.ArgumentTypeError(f"not JSON: {error}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a JSON object")
    return value


def main(argv: list[str] | None = None) -> int:
    return processing_main("Evaluation", argv, parse_args=parse_args, run=run, log=LOG,
                           errors=(JobError, table_schema.SchemaError), message_file=None)


if __name__ == "__main__":
    sys.exit(main())
