"""Evidently's peer, run by `.venv-evidently/bin/python -m bench.drift.evidently_peer <workdir>`
(Evidently 0.7.23 with pandas 2: it breaks under the project's pandas 3). Imports nothing from
the project but the dataset reader.

The timed part is what a user runs: wrapping the frames in `Dataset.from_pandas` with the
columns' types declared, and `Report([DataDriftPreset()]).run(...)` with every default (so the
methods are Evidently's choice: normed Wasserstein for numeric, Jensen-Shannon for categorical
columns at threshold 0.1). The verdict per column is Evidently's own rule for these distance
tests, ``value >= threshold`` (stattests/wasserstein_distance_norm.py, jensenshannon.py).
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

from bench.drift import dataset
from bench.drift.measure import report

METHODS = {"Wasserstein distance (normed)": "wasserstein", "Jensen-Shannon distance": "jensenshannon"}


def main() -> None:
    warnings.filterwarnings("ignore")
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    workdir = Path(sys.argv[1])
    meta = dataset.read_meta(workdir)
    loaded = time.perf_counter()
    frames = {which: dataset.frame(workdir, which, meta) for which in ("reference", "current")}
    load_s = time.perf_counter() - loaded
    started, cpu = time.perf_counter(), time.process_time()
    definition = DataDefinition(numerical_columns=meta["numeric"], categorical_columns=meta["categorical"])
    data = {which: Dataset.from_pandas(frame, data_definition=definition) for which, frame in frames.items()}
    snapshot = Report([DataDriftPreset()]).run(current_data=data["current"], reference_data=data["reference"])
    check_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    features = {}
    for metric in snapshot.dict()["metrics"]:
        config = metric["config"]
        if config.get("type") != "evidently:metric_v2:ValueDrift":
            continue
        value, threshold = float(metric["value"]), float(config["threshold"])
        features[config["column"]] = {"method": METHODS.get(config["method"], config["method"]), "distance": value,
                                      "threshold": threshold, "drifted": value >= threshold}
    report({"peer": "evidently", "load_s": round(load_s, 3), "check_s": round(check_s, 3), "cpu_s": round(cpu_s, 3),
            "features": features})


if __name__ == "__main__":
    main()
