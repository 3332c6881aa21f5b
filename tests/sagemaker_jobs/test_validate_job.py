"""validate.py, the Processing job that profiles large uploads: the same profile as the Lambda
computes, the uploaded file found among prefix matches, and setup errors as its exit reason."""

from __future__ import annotations

import io
import json
from pathlib import Path

from mlops_core.data_profile import profile_csv_stream
from sagemaker_jobs import validate
from tests.sagemaker_jobs.test_archive_layout import archive_root, script  # noqa: F401 - fixture

REPO = Path(__file__).resolve().parents[2]
PENGUINS = REPO / "data" / "penguins.csv"


def _args(tmp_path: Path, *extra: str) -> list[str]:
    return ["--data-dir", str(tmp_path / "data"), "--output-dir", str(tmp_path / "out"),
            "--message-file", str(tmp_path / "message"), "--target=species", "--problem-type=classification",
            *extra]


def test_the_job_writes_the_profile_the_lambda_would_compute(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "penguins.csv").write_bytes(PENGUINS.read_bytes())
    assert validate.main(_args(tmp_path)) == 0
    written = json.loads((tmp_path / "out" / "profile.json").read_text())
    expected = profile_csv_stream(io.BytesIO(PENGUINS.read_bytes()), target="species", classification=True,
                                  max_field_bytes=1 << 20)
    assert written == json.loads(json.dumps(expected.to_dict()))


def test_bad_data_is_a_profile_not_a_job_failure(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_bytes(b"species;island\nAdelie;Dream\n")
    assert validate.main(_args(tmp_path)) == 0
    profile = json.loads((tmp_path / "out" / "profile.json").read_text())
    assert profile["problems"][0]["check"] == "wrong_delimiter"


def test_the_uploaded_object_is_the_shortest_of_the_prefix_matches(tmp_path):
    for name in ("penguins.csv.bak", "penguins.csv", "penguins.csv2"):
        (tmp_path / name).write_text(name)
    assert validate.data_file(tmp_path).name == "penguins.csv"


def test_a_missing_input_fails_with_a_reason(tmp_path):
    (tmp_path / "data").mkdir()
    assert validate.main(_args(tmp_path)) == 1
    assert "No input file" in (tmp_path / "message").read_text()


def test_the_script_runs_from_the_archive_root_as_python_validate_py(archive_root, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "p.csv").write_bytes(PENGUINS.read_bytes())
    result = script(archive_root, "validate.py", *_args(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "out" / "profile.json").read_text())["rows"] == 344
