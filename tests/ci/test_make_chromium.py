"""The Makefile's chromium target, which `make test` depends on: nothing to do when Chromium is
on PATH, and without root (or sudo) a clear error saying what to run, not a failed apt-get."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _bin(tmp_path: Path, **scripts: str) -> Path:
    """A PATH of its own: only the given commands exist."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for name, body in scripts.items():
        script = folder / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
    for tool in ("mkdir", "touch", "env"):
        (folder / tool).symlink_to(shutil.which(tool))
    return folder


def _make_chromium(tmp_path: Path, path: Path) -> subprocess.CompletedProcess:
    stamp = tmp_path / "stamp" / "chromium.installed"
    return subprocess.run([shutil.which("make"), "-s", "-C", str(REPO), f"CHROMIUM_STAMP={stamp}", "chromium"],
                          env={"PATH": str(path)}, capture_output=True, text=True, timeout=60)


def test_an_installed_chromium_is_used_as_it_is(tmp_path):
    done = _make_chromium(tmp_path, _bin(tmp_path, chromium="exit 0", id="echo 1000"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "stamp" / "chromium.installed").exists()
    assert "Installing" not in done.stdout


def test_without_root_or_sudo_the_error_says_what_to_run(tmp_path):
    done = _make_chromium(tmp_path, _bin(tmp_path, id="echo 1000", **{"apt-get": "echo apt-get ran; exit 0"}))
    assert done.returncode != 0
    assert "chromium is not installed and installing it needs root" in done.stderr
    assert "sudo apt-get install chromium" in done.stderr
    assert "apt-get ran" not in done.stdout
    assert not (tmp_path / "stamp" / "chromium.installed").exists()


def test_as_root_it_installs_debians_package_with_apt_get(tmp_path):
    log = tmp_path / "apt.log"
    done = _make_chromium(tmp_path, _bin(tmp_path, id="echo 0", **{"apt-get": f'echo "$@" >> {log}'}))
    assert done.returncode == 0, done.stderr
    assert log.read_text().splitlines() == ["update -qq", "install -y -qq chromium"]


def test_through_passwordless_sudo_when_not_root(tmp_path):
    log = tmp_path / "sudo.log"
    done = _make_chromium(tmp_path, _bin(tmp_path, id="echo 1000", sudo=f'printf "%s\\n" "$*" >> {log}',
                                         **{"apt-get": "exit 0"}))
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    assert calls[0] == "-n true" and calls[1] == "-n apt-get update -qq"
    assert calls[2] == "-n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"
