"""The drift benchmark's data: a reference and a current dataset of the same size, 20 features
(15 numeric of varied shapes, 5 categorical with 3 to 30 values), 5 of them shifted in the
current data, generated deterministically (numpy PCG64, fixed seeds) and stored as .npy files
that both peers' environments read (numpy only: the Evidently venv has pandas 2, ours pandas 3).

Numeric values are one float64 (rows x 15) array per dataset, in row order so a chunk of rows
is one contiguous read; categorical ones are int8 codes (rows x 5) plus the labels in meta.json.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 6
VERSION = 2  # bump when the generators change, so stale files are regenerated
# name -> (generator of the reference values, of the current values): the shifted ones differ.
SHIFTED_NUMERIC = {"income": "mean + 0.3 sd", "session_minutes": "sd x 1.4", "latency_ms": "log-scale + 0.25"}
SHIFTED_CATEGORICAL = {"plan": "shares moved", "region": "commonest and rarest swapped"}
CATEGORIES = {"plan": 4, "region": 12, "device": 3, "channel": 7, "segment": 30}


def _numeric(rng: np.random.Generator, rows: int, current: bool) -> dict[str, np.ndarray]:
    shift = 1.0 if current else 0.0
    return {
        "age": rng.normal(41, 12, rows).round(),
        "income": rng.normal(52_000 + shift * 0.3 * 18_000, 18_000, rows),
        "session_minutes": 30 + rng.normal(0, 8 * (1.4 if current else 1.0), rows),
        "latency_ms": rng.lognormal(3.0 + shift * 0.25, 0.6, rows),
        "tenure_days": rng.exponential(400, rows),
        "score": rng.beta(2, 5, rows),
        "balance": rng.standard_t(4, rows) * 900,
        "visits": rng.poisson(12, rows).astype(float),
        "discount": rng.uniform(0, 0.3, rows),
        "temperature": rng.normal(21, 3, rows),
        "basket_value": rng.gamma(2.0, 35, rows),
        "pages": rng.geometric(0.08, rows).astype(float),
        "rating": rng.normal(3.8, 0.7, rows).clip(1, 5),
        "distance_km": rng.weibull(1.5, rows) * 12,
        "ctr": rng.lognormal(-3.5, 0.9, rows),
    }


def _shares(size: int, rng: np.random.Generator) -> np.ndarray:
    shares = rng.dirichlet(np.full(size, 2.0))
    return shares / shares.sum()


def _categorical(rng: np.random.Generator, rows: int, current: bool) -> dict[str, np.ndarray]:
    shapes = np.random.default_rng(SEED + 100)  # same category shares for both datasets
    codes = {}
    for name, size in CATEGORIES.items():
        shares = _shares(size, shapes)
        if current and name == "plan":
            shares = np.array([0.1, 0.2, 0.3, 0.4])  # from about 0.25 / 0.19 / 0.26 / 0.29
        if current and name == "region":
            order = np.argsort(shares)
            shares[[order[-1], order[0]]] = shares[[order[0], order[-1]]]
        codes[name] = rng.choice(size, size=rows, p=shares).astype(np.int8)
    return codes


def labels() -> dict[str, list[str]]:
    return {name: [f"{name}_{index:02d}" for index in range(size)] for name, size in CATEGORIES.items()}


def generate(workdir: Path, rows: int) -> dict:
    """Write reference_*.npy, current_*.npy and meta.json under ``workdir``; returns meta."""
    workdir.mkdir(parents=True, exist_ok=True)
    meta = {"rows": rows, "seed": SEED, "version": VERSION, "labels": labels(),
            "shifted": sorted([*SHIFTED_NUMERIC, *SHIFTED_CATEGORICAL]),
            "shifts": {**SHIFTED_NUMERIC, **SHIFTED_CATEGORICAL}}
    for index, which in enumerate(("reference", "current")):
        rng = np.random.default_rng([SEED, index])
        numeric = _numeric(rng, rows, which == "current")
        categorical = _categorical(rng, rows, which == "current")
        meta["numeric"], meta["categorical"] = list(numeric), list(categorical)
        np.save(workdir / f"{which}_numeric.npy", np.column_stack(list(numeric.values())))
        np.save(workdir / f"{which}_codes.npy", np.column_stack(list(categorical.values())))
        del numeric, categorical
    (workdir / "meta.json").write_text(json.dumps(meta, indent=1))
    return meta


def ready(workdir: Path, rows: int) -> bool:
    try:
        meta = json.loads((workdir / "meta.json").read_text())
    except (OSError, ValueError):
        return False
    return (meta.get("rows"), meta.get("seed"), meta.get("version"), meta.get("labels")) == (rows, SEED, VERSION,
                                                                                            labels())


def read_meta(workdir: Path) -> dict:
    return json.loads((workdir / "meta.json").read_text())


def frame(workdir: Path, which: str, meta: dict) -> pd.DataFrame:
    """The whole dataset as a DataFrame: floats, and the categories as text (Python strings)."""
    numeric = np.load(workdir / f"{which}_numeric.npy")
    codes = np.load(workdir / f"{which}_codes.npy")
    return _frame(numeric, codes, meta)


def chunks(workdir: Path, which: str, meta: dict, rows: int) -> Iterator[pd.DataFrame]:
    """The dataset ``rows`` rows at a time, read from the files piece by piece (no memory map:
    mapped pages would stay resident and count as the reader's memory)."""
    with open(workdir / f"{which}_numeric.npy", "rb") as numbers, open(workdir / f"{which}_codes.npy", "rb") as codes:
        numeric_shape, codes_shape = _skip_header(numbers), _skip_header(codes)
        for start in range(0, numeric_shape[0], rows):
            count = min(rows, numeric_shape[0] - start)
            block = np.fromfile(numbers, dtype="<f8", count=count * numeric_shape[1]).reshape(count, -1)
            code_block = np.fromfile(codes, dtype="i1", count=count * codes_shape[1]).reshape(count, -1)
            yield _frame(block, code_block, meta)


def _skip_header(handle) -> tuple[int, ...]:
    major, _minor = np.lib.format.read_magic(handle)
    read = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
    shape, fortran, _dtype = read(handle)
    if fortran:
        raise ValueError("expected C-ordered arrays")
    return shape


def _frame(numeric: np.ndarray, codes: np.ndarray, meta: dict) -> pd.DataFrame:
    columns = {name: numeric[:, index] for index, name in enumerate(meta["numeric"])}
    for index, name in enumerate(meta["categorical"]):
        text = np.array(meta["labels"][name], dtype=object)
        columns[name] = text[codes[:, index]]
    return pd.DataFrame(columns)


if __name__ == "__main__":  # python -m bench.drift.dataset <workdir> <rows>: generate in a child
    import sys

    generate(Path(sys.argv[1]), int(sys.argv[2]))
