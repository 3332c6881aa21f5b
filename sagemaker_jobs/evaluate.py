"""SageMaker Processing script: score the held-out test split and write `evaluation.json`.

The report uses Model Monitor's model-quality statistics format (multiclass, binary or
regression section), so the model registry can show it as ModelQuality statistics. The model
directory may hold `model.tar.gz` (a training job's artifact, extracted here) or the files
themselves. On failure the reason is printed to stderr and the exit status is 1, which the
Processing job reports as its FailureReason.
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
import tarfile  # noqa: E402
import tempfile  # noqa: E402
from datetime import datetime, timezone  # noqa: E402

import model_card  # noqa: E402
import quality  # noqa: E402
import table_schema  # noqa: E402
from job_errors import JobArgumentParser, JobError  # noqa: E402

LOG = logging.getLogger("evaluate")
REPORT_FILE = "evaluation.json"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = JobArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--model-dir", default="/opt/ml/processing/model")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test")
    parser.add_argument("--output-dir", default="/opt/ml/processing/evaluation")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> dict:
    """Write evaluation.json to the output folder and return it."""
    with tempfile.TemporaryDirectory() as scratch:
        pipeline, card = _load(Path(args.model_dir), Path(scratch))
    target, problem_type = card["target"], card["problem_type"]
    frame = table_schema.read_csv_folder(args.test_dir)
    if target not in frame.columns:
        raise JobError(f"Target column '{target}' is not in the test data ({args.test_dir}).")
    scored = frame[~table_schema.is_missing(frame[target])]
    if len(scored) < len(frame):
        LOG.warning("Skipped %d test rows whose target is missing.", len(frame) - len(scored))
    if scored.empty:
        raise JobError(f"The test data in {args.test_dir} has no rows with a '{target}' value.")
    X = table_schema.coerce_features(scored, card["features"])
    y_pred = pipeline.predict(X)
    if problem_type == "regression":
        y_true, not_numbers = table_schema.to_numbers(scored[target])
        if not_numbers:
            raise JobError(f"Test target '{target}' has non-numeric values: {not_numbers[:3]}.")
        section, metrics = quality.regression_section(y_true, y_pred)
    else:
        y_true = table_schema.to_categories(scored[target]).tolist()
        section, metrics = quality.classification_section(
            y_true, [str(p) for p in y_pred], card["classes"], _positive_scores(pipeline, X, card)
        )
    report = {
        "version": 0.0,
        "dataset": {
            "item_count": len(scored),
            "evaluation_time": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        section: metrics,
        "problem_type": problem_type,
        "target": target,
    }
    output = Path(args.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    (output / REPORT_FILE).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for name, value in metrics.items():
        if isinstance(value, dict) and "value" in value:
            print(f"test:{name}={value['value']:.6f}", flush=True)
    return report


def _load(model_dir: Path, scratch: Path):
    """Load model.joblib from the folder, or from the model.tar.gz found there."""
    if not (model_dir / model_card.MODEL_FILE).is_file():
        archives = sorted(model_dir.glob("*.tar.gz"))
        if not archives:
            raise JobError(f"Neither {model_card.MODEL_FILE} nor model.tar.gz found in {model_dir}.")
        with tarfile.open(archives[0]) as archive:
            # The "data" filter (Python 3.11.4+) refuses paths and links that leave the folder.
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            archive.extractall(scratch, **safe)
        model_dir = scratch
    try:
        return model_card.load_model(model_dir)
    except FileNotFoundError as error:
        raise JobError(f"The model artifact is incomplete: {error}.") from error


def _positive_scores(pipeline, X, card: dict):
    """Probability of the positive (second) class for binary AUC, when the model has one."""
    if len(card["classes"]) != 2 or not hasattr(pipeline, "predict_proba"):
        return None
    classes = [str(c) for c in pipeline.classes_]
    return pipeline.predict_proba(X)[:, classes.index(card["classes"][1])]


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        run(parse_args(argv))
        return 0
    except (JobError, table_schema.SchemaError) as error:
        print(f"Evaluation failed: {error}", file=sys.stderr)
    except Exception as error:  # noqa: BLE001 - the exit status alone would explain nothing
        LOG.exception("unexpected error")
        print(f"Evaluation failed with an unexpected {type(error).__name__}: {error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
