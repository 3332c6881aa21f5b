"""checkov on the synthesized template, from its own virtualenv (.venv-checkov, built by
`make checkov-venv`, which `make test` runs first): no failed check, and every check skipped in
checkov.yaml carries its reason there."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECKOV = REPO_ROOT / ".venv-checkov" / "bin" / "checkov"
CONFIG = REPO_ROOT / "checkov.yaml"


def run_checkov(template: Path) -> dict:
    assert CHECKOV.exists(), (f"{CHECKOV} is missing: run `make checkov-venv` (`make test` does) to build checkov's "
                              f"own virtualenv from requirements-checkov.txt")
    result = subprocess.run([str(CHECKOV), "--config-file", str(CONFIG), "-f", str(template), "-o", "json"],
                            capture_output=True, text=True, timeout=300, cwd=REPO_ROOT)
    assert result.returncode in (0, 1), result.stderr[-2000:]  # 1: some check failed, reported below
    return json.loads(result.stdout)


def failed_checks(report: dict) -> list[str]:
    return [f"{c['check_id']} {c['check_name']}: {c['resource']}" for c in report["results"]["failed_checks"]]


def test_checkov_finds_nothing_on_the_template(synthesized):
    report = run_checkov(synthesized.outdir / "MlopsStack.template.json")
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["passed"] > 100
    assert failed_checks(report) == []


def test_every_skipped_check_says_why_right_above_it():
    lines = CONFIG.read_text().splitlines()
    skips = [i for i, line in enumerate(lines) if re.fullmatch(r"\s*- CKV\w+", line)]
    assert skips, "checkov.yaml skips nothing: then drop this test"
    for index in skips:
        reason = []
        for line in reversed(lines[:index]):
            if not line.strip().startswith("#"):
                break
            reason.append(line)
        assert len(" ".join(reason)) > 60, f"{lines[index].strip()} needs its reason in a comment above it"
