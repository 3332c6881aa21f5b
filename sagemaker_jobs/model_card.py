"""The model artifact: `model.joblib` (a scikit-learn Pipeline) next to `model_card.json`.

The pipeline holds only scikit-learn classes, so the serving container can unpickle it without
this source code; the card carries what the pipeline cannot: the target, the feature list
with types (so requests are typed as in training) and the versions it was trained with.
"""
from __future__ import annotations

import json
import platform
from pathlib import Path

import joblib

MODEL_FILE = "model.joblib"
CARD_FILE = "model_card.json"


def library_versions() -> dict[str, str]:
    import numpy
    import pandas
    import sklearn

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "pandas": pandas.__version__,
        "numpy": numpy.__version__,
        "joblib": joblib.__version__,
    }


def save_model(model_dir: str | Path, pipeline, card: dict) -> None:
    directory = Path(model_dir)
    directory.mkdir(parents=True, exist_ok=True)
    joblib.dump(pipeline, directory / MODEL_FILE)
    (directory / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def load_model(model_dir: str | Path) -> tuple[object, dict]:
    """The pipeline and its card; FileNotFoundError names the missing file."""
    directory = Path(model_dir)
    for name in (MODEL_FILE, CARD_FILE):
        if not (directory / name).is_file():
            raise FileNotFoundError(f"{name} not found in {directory}")
    card = json.loads((directory / CARD_FILE).read_text(encoding="utf-8"))
    return joblib.load(directory / MODEL_FILE), card
