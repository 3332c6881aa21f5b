"""prepare.py, the Processing job that splits large uploads: byte for byte the Lambda's split of
the same data and settings, a result the state machine turns into the Lambda's answer, and
plain-words failures (an overwritten object, bad settings, bad data) as its exit reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_core.preparation import prepare_split
from mlops_core.settings import DataSettings
from sagemaker_jobs import prepare
from tests.sagemaker_jobs.test_archive_layout import archive_root, script  # noqa: F401 - fixture

REPO = Path(__file__).resolve().parents[2]
PENGUINS = (REPO / "data" / "penguins.csv").read_bytes()


def _args(tmp_path: Path, body: bytes, *settings: str, size: int | None = None) -> list[str]:
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "upload.csv").write_bytes(body)
    return ["--data-dir", str(tmp_path / "data"), "--train-dir", str(tmp_path / "train"),
            "--test-dir", str(tmp_path / "test"), "--result-file", str(tmp_path / "result" / "result.json"),
            "--message-file", str(tmp_path / "message"),
            f"--expected-bytes={len(body) if size is None else size}",
            *(settings or ("--target=species", "--problem-type=classification"))]


@pytest.mark.parametrize(("settings", "arguments"), [
    (DataSettings(target="species", problem_type="classification"),
     ("--target=species", "--problem-type=classification", "--test-size=0.2", "--random-seed=42")),
    (DataSettings(target="sex", problem_type="classification", test_size=0.3, random_seed=7),
     ("--target=sex", "--problem-type=classification", "--test-size=0.3", "--random-seed=7")),
    (DataSettings(target="body_mass_g", problem_type="regression", test_size=0.25, random_seed=1),
     ("--target=body_mass_g", "--problem-type=regression", "--test-size=0.25", "--random-seed=1")),
])
def test_the_job_writes_byte_for_byte_the_lambdas_split(tmp_path, settings, arguments):
    assert prepare.main(_args(tmp_path, PENGUINS, *arguments)) == 0
    expected = prepare_split(PENGUINS, settings)
    assert (tmp_path / "train" / "train.csv").read_bytes() == expected.train_csv
    assert (tmp_path / "test" / "test.csv").read_bytes() == expected.test_csv
    assert json.loads((tmp_path / "result" / "result.json").read_text()) == {
        "train": {"rows": expected.train_rows}, "test": {"rows": expected.test_rows},
        "dropped_rows": expected.dropped_rows}


def test_absent_split_settings_take_the_same_defaults_as_the_lambda(tmp_path):
    assert prepare.main(_args(tmp_path, PENGUINS)) == 0
    expected = prepare_split(PENGUINS, DataSettings(target="species", problem_type="classification"))
    assert (tmp_path / "test" / "test.csv").read_bytes() == expected.test_csv


def test_an_object_overwritten_since_its_validation_is_refused(tmp_path):
    assert prepare.main(_args(tmp_path, PENGUINS, size=len(PENGUINS) + 1)) == 1
    message = (tmp_path / "message").read_text()
    assert message.startswith("Preparation failed: the object upload.csv is")
    assert "overwritten" in message
    assert not (tmp_path / "train" / "train.csv").exists()


@pytest.mark.parametrize(("body", "settings", "words"), [
    (PENGUINS, ("--target=species", "--problem-type=classification", "--test-size=1.5"),
     "settings.test_size must be between 0 and 1"),
    (PENGUINS, ("--target=weight", "--problem-type=classification"), "the target column 'weight' is not in the header"),
    (b"species,island\nAdelie,Dream\n", ("--target=species", "--problem-type=classification"),
     "cannot split 1 row(s)"),
])
def test_what_cannot_be_split_fails_in_plain_words(tmp_path, body, settings, words):
    assert prepare.main(_args(tmp_path, body, *settings)) == 1
    message = (tmp_path / "message").read_text()
    assert message.startswith("Preparation failed: ") and words in message


def test_a_failed_split_leaves_no_partial_file_for_sagemaker_to_upload(tmp_path):
    ragged = PENGUINS + b"Adelie,Dream,1,2,3,4,5,6,7,8,9,10\n"  # a last row longer than the header
    assert prepare.main(_args(tmp_path, ragged)) == 1
    assert "cannot be parsed as CSV" in (tmp_path / "message").read_text()
    assert list((tmp_path / "train").iterdir()) == list((tmp_path / "test").iterdir()) == []
    assert not (tmp_path / "result").exists()


def test_the_script_runs_from_the_archive_root_as_python_prepare_py(archive_root, tmp_path):
    result = script(archive_root, "prepare.py", *_args(tmp_path, PENGUINS))
    assert result.returncode == 0, result.stderr
    counts = json.loads((tmp_path / "result" / "result.json").read_text())
    assert counts["train"]["rows"] + counts["test"]["rows"] + counts["dropped_rows"] == 344
