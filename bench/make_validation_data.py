"""Generate the validation benchmark's data: reference sample, batch under test, peers' contract.

Usage: .venv/bin/python bench/make_validation_data.py [--workdir .build/bench-validation]
       [--rows 1000000] [--reference-rows 100000]

Writes reference.csv (clean, seed 1), batch.csv (seed 2, with the five problems listed in
bench/validation/dataset.py), contract.json (derived from reference.csv as parsed by pandas)
and manifest.json (parameters, sizes, sha256). Files whose manifest matches are reused.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import pandas as pd  # noqa: E402

from bench.validation import contract, dataset  # noqa: E402

DEFAULT_WORKDIR = REPO_ROOT / ".build" / "bench-validation"
REFERENCE_SEED, BATCH_SEED = 1, 2


def ensure(workdir: Path, rows: int, reference_rows: int) -> dict:
    """The manifest of up-to-date data files in `workdir`, generating them if needed."""
    workdir.mkdir(parents=True, exist_ok=True)
    wanted = {"rows": rows, "reference_rows": reference_rows, "numpy": _numpy_version(),
              "generator": _sha256(Path(dataset.__file__)) + _sha256(Path(contract.__file__))}
    manifest_path = workdir / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("parameters") == wanted and all((workdir / f).exists() for f in manifest["files"]):
            return manifest
    manifest = {"parameters": wanted, "files": {}}
    for name, count, seed, anomalies in (("reference.csv", reference_rows, REFERENCE_SEED, False),
                                         ("batch.csv", rows, BATCH_SEED, True)):
        path = workdir / name
        print(f"generating {path} ({count} rows)", flush=True)
        dataset.generate(count, seed, anomalies).to_csv(path, index=False)
        manifest["files"][name] = {"rows": count, "bytes": path.stat().st_size, "sha256": _sha256(path)}
    contract.save(contract.build(pd.read_csv(workdir / "reference.csv")), workdir / "contract.json")
    manifest["files"]["contract.json"] = {"sha256": _sha256(workdir / "contract.json")}
    manifest_path.write_text(json.dumps(manifest, indent=1))
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _numpy_version() -> str:
    import numpy

    return numpy.__version__


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reference-rows", type=int, default=100_000)
    args = parser.parse_args()
    print(json.dumps(ensure(args.workdir, args.rows, args.reference_rows), indent=1))


if __name__ == "__main__":
    main()
