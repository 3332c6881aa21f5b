"""The SageMaker job archive sourcedir.tar.gz."""

from __future__ import annotations

import tarfile

from infra.job_code import FIXED_MTIME, write_archive


def _archive(synthesized):
    [archive] = synthesized.outdir.glob("asset.*.tar.gz")
    return archive


def test_the_archive_holds_the_scripts_and_mlops_core_at_its_root(synthesized):
    with tarfile.open(_archive(synthesized)) as tar:
        names = tar.getnames()
    assert {"train.py", "evaluate.py", "inference.py", "mlops_core/__init__.py"} <= set(names)
    assert "__init__.py" not in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or n.startswith("tests/")]


def test_the_archive_is_reproducible(source_root, tmp_path):
    roots = {"": source_root / "sagemaker_jobs", "mlops_core": source_root / "mlops_core"}
    write_archive(tmp_path / "a.tar.gz", roots)
    (source_root / "sagemaker_jobs" / "train.py").touch()  # a new mtime changes nothing
    write_archive(tmp_path / "b.tar.gz", roots)
    assert (tmp_path / "a.tar.gz").read_bytes() == (tmp_path / "b.tar.gz").read_bytes()
    with tarfile.open(tmp_path / "a.tar.gz") as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == sorted(m.name for m in members)
    assert {(m.mtime, m.uid, m.gid, m.mode) for m in members} == {(FIXED_MTIME, 0, 0, 0o644)}


def test_the_evaluation_job_reads_the_same_archive(synthesized):
    from tests.infra.helpers import definition

    states = definition(synthesized)["States"]
    asset_hash = _archive(synthesized).name.removeprefix("asset.").removesuffix(".tar.gz")
    machine = next(iter(synthesized.resources("AWS::StepFunctions::StateMachine").values()))
    subs = [part["Fn::Sub"] for part in machine["Properties"]["DefinitionString"]["Fn::Join"][1]
            if isinstance(part, dict) and "Fn::Sub" in part]
    assert subs and all(sub.endswith(f"/{asset_hash}.gz") for sub in subs)
    code = next(i for i in states["CreateEvaluationJob"]["Parameters"]["ProcessingInputs"] if i["InputName"] == "code")
    assert code["S3Input"]["S3DataType"] == "S3Prefix"
