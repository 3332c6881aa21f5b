"""Synthesizes the CDK app exactly as the CDK CLI does: `python app.py` with CDK_OUTDIR and
CDK_CONTEXT_JSON. The embedded cloud reads the result; it never imports infra/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


class SynthError(RuntimeError):
    pass


def synthesize(config_path: Path, outdir: Path, *, context: dict | None = None,
               app_dir: Path = REPO_ROOT) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["CDK_OUTDIR"] = str(outdir)
    env["CDK_CONTEXT_JSON"] = json.dumps({**_cdk_json_context(app_dir), "config": str(config_path),
                                          **(context or {})})
    result = subprocess.run([sys.executable, "app.py"], cwd=app_dir, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        message = (result.stderr.strip() or result.stdout.strip()).splitlines()
        raise SynthError("\n".join(message[-15:]))
    return outdir


def _cdk_json_context(app_dir: Path) -> dict:
    cdk_json = app_dir / "cdk.json"
    if not cdk_json.exists():
        return {}
    return json.loads(cdk_json.read_text()).get("context", {})
