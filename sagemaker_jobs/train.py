"""SageMaker training script (script mode): a scikit-learn Pipeline for any tabular CSV.

Reads every CSV in the `train` channel, infers feature types (features.py), holds out 20% of
the rows for `validation:` metrics, refits on all rows and writes `model.joblib` and
`model_card.json` to SM_MODEL_DIR. Known hyperparameters: --target, --problem-type,
--estimator, --random-seed; any other `--key value` is an estimator parameter, and the
toolkit's `sagemaker_*` ones are ignored. On failure the reason goes to $SM_OUTPUT_DIR/failure.
"""
from __future__ import annotations

import sys
from pathlib import Path

# On SageMaker the archive root is the working directory; tests import this file as
# sagemaker_jobs.train, so its own folder goes on the path for the sibling imports below.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402

import pandas as pd  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402

import estimators  # noqa: E402
import features  # noqa: E402
import model_card  # noqa: E402
import quality  # noqa: E402
import table_schema  # noqa: E402
import targets  # noqa: E402
from job_errors import JobArgumentParser, JobError, write_failure  # noqa: E402

LOG = logging.getLogger("train")
VALIDATION_SHARE = 0.2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ
    # No prefix matching: `--random 1` must stay an estimator parameter, not be --random-seed.
    parser = JobArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--target")
    parser.add_argument("--problem-type", "--problem_type", dest="problem_type")
    parser.add_argument("--estimator", default="random_forest")
    parser.add_argument("--random-seed", "--random_seed", dest="random_seed", default="42")
    parser.add_argument("--train", default=env.get("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train"))
    parser.add_argument("--model-dir", "--model_dir", dest="model_dir",
                        default=env.get("SM_MODEL_DIR", "/opt/ml/model"))
    parser.add_argument("--output-data-dir", "--output_data_dir", dest="output_data_dir",
                        default=env.get("SM_OUTPUT_DATA_DIR", "/opt/ml/output/data"))
    parser.add_argument("--output-dir", "--output_dir", dest="output_dir",
                        default=env.get("SM_OUTPUT_DIR", "/opt/ml/output"))
    args, extra = parser.parse_known_args(argv)
    args.params = estimators.params_from_args(extra)
    return args


def run(args: argparse.Namespace) -> dict[str, float]:
    """Train, print metrics, write the model; raises JobError for anything the user can fix."""
    if not args.target:
        raise JobError("The --target hyperparameter is required (the column to predict).")
    estimators.require_known(args.estimator)
    seed = _seed(args.random_seed)
    frame = table_schema.read_csv_folder(args.train)
    labelled = targets.labelled_rows(frame, args.target, args.train)
    problem_type = targets.problem_type(args.problem_type, labelled[args.target])
    y = targets.target_values(labelled[args.target], problem_type, args.target)
    feature_list, dropped = features.infer_features(labelled, args.target)
    for name, reason in dropped.items():
        LOG.warning("Ignoring column '%s': %s.", name, reason)
    if not feature_list:
        raise JobError(f"No usable feature columns besides the target '{args.target}'.")
    X = table_schema.coerce_features(labelled, feature_list)
    pipeline = Pipeline([
        ("preprocess", features.build_preprocessor(feature_list)),
        ("model", estimators.make_estimator(args.estimator, problem_type, args.params, seed)),
    ])
    final, results = _fit_and_score(pipeline, X, y, problem_type, seed)
    for name, value in results.items():
        print(f"{name}={value:.6f}", flush=True)  # parsed by the MetricDefinitions regexes
    card = {
        "target": args.target, "problem_type": problem_type, "estimator": args.estimator,
        "features": feature_list,
        "classes": [str(c) for c in final.classes_] if problem_type == "classification" else None,
        "library_versions": model_card.library_versions(),
        "hyperparameters": args.params, "training_rows": len(X),
        # Beyond the contract's fields: what a reader of the card asks next.
        "estimator_class": type(final[-1]).__name__, "random_seed": seed,
        "input_columns": [str(c) for c in frame.columns], "dropped_columns": dropped,
        "metrics": results,
    }
    model_card.save_model(args.model_dir, final, card)
    output_data = Path(args.output_data_dir)
    output_data.mkdir(parents=True, exist_ok=True)
    (output_data / "metrics.json").write_text(json.dumps(results, indent=2) + "\n")
    LOG.info("Wrote %s and %s to %s.", model_card.MODEL_FILE, model_card.CARD_FILE, args.model_dir)
    return results


def _fit_and_score(pipeline: Pipeline, X: pd.DataFrame, y: pd.Series, problem_type: str, seed: int):
    """Score a copy on the holdout, then refit on every row: the returned model saw all data."""
    X_fit, X_val, y_fit, y_val = _holdout(X, y, problem_type, seed)
    LOG.info("Validation holdout: %d of %d rows.", len(X_val), len(X))
    validation = quality.score(problem_type, y_val, _fit(clone(pipeline), X_fit, y_fit).predict(X_val))
    final = _fit(pipeline, X, y)
    headline = "accuracy" if problem_type == "classification" else "rmse"
    results = {f"train:{headline}": quality.score(problem_type, y, final.predict(X))[headline]}
    results.update({f"validation:{name}": value for name, value in validation.items()})
    return final, results


def _holdout(X: pd.DataFrame, y: pd.Series, problem_type: str, seed: int):
    """Stratified when every class has two rows and the holdout can hold them all."""
    stratify = y if problem_type == "classification" and y.value_counts().min() >= 2 else None
    try:
        return train_test_split(X, y, test_size=VALIDATION_SHARE, random_state=seed, stratify=stratify)
    except ValueError:
        LOG.info("Holdout too small to stratify by class: splitting at random.")
        return train_test_split(X, y, test_size=VALIDATION_SHARE, random_state=seed)


def _fit(pipeline: Pipeline, X: pd.DataFrame, y: pd.Series) -> Pipeline:
    # scikit-learn validates estimator parameters at fit time (InvalidParameterError is a
    # ValueError): report it as the user's hyperparameter problem, not as a crash.
    try:
        return pipeline.fit(X, y)
    except (ValueError, TypeError) as error:
        raise JobError(f"Fitting {type(pipeline[-1]).__name__} failed: {error}") from error


def _seed(text: str) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        raise JobError(f"--random-seed must be an integer, got '{text}'.") from None


def _output_dir(argv: list[str]) -> str:
    """Where the failure file goes even when the arguments themselves do not parse."""
    for i, token in enumerate(argv):
        name, has_value, value = token.partition("=")
        if name in ("--output-dir", "--output_dir"):
            if has_value:
                return value
            if i + 1 < len(argv):
                return argv[i + 1]
    return os.environ.get("SM_OUTPUT_DIR", "/opt/ml/output")


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    output_dir = _output_dir(sys.argv[1:] if argv is None else argv)
    try:
        run(parse_args(argv))
        return 0
    except (JobError, table_schema.SchemaError) as error:
        reason = f"Training failed: {error}"
        LOG.error(reason, exc_info=error.__cause__ is not None)
    except Exception as error:  # noqa: BLE001 - every failure must leave a reason behind
        reason = f"Training failed with an unexpected {type(error).__name__}: {error}"
        LOG.exception(reason)
    write_failure(output_dir, reason)
    return 1


if __name__ == "__main__":
    sys.exit(main())
