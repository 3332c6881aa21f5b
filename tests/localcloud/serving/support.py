"""Models to serve, made the way the pipeline makes them: trained by sagemaker_jobs/train.py,
packed as model.tar.gz, the job archive as sourcedir.tar.gz, registered as a model package whose
InferenceSpecification is shaped like infra/training_pipeline/register.py's, and SageMaker models
created from the package. Used by the serving tests and bench/endpoint_latency.py."""

from __future__ import annotations

import contextlib
import io
import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mlops.localcloud.sagemaker.s3io import make_tar_gz

REPO_ROOT = Path(__file__).resolve().parents[3]
PENGUINS = REPO_ROOT / "data" / "penguins.csv"
ROLE_ARN = "arn:aws:iam::123456789012:role/ServingExecution"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.9-0-cpu-py3"
CONTENT_TYPES = ["text/csv", "application/json"]
# One penguin, in the training file's feature order (species, the target, left out).
PENGUIN_ROW = "Torgersen,39.1,18.7,181,3750,male,2007"


@dataclass(frozen=True)
class Artifacts:
    bucket: str
    source_url: str                # s3:// sourcedir.tar.gz of sagemaker_jobs/ + mlops_core/
    model_urls: dict[str, str]     # estimator -> s3:// model.tar.gz
    model_dirs: dict[str, Path]    # estimator -> the unpacked model folder (for in-process predictions)


def train_model(model_dir: Path, estimator: str) -> None:
    """sagemaker_jobs/train.py on the penguins data, small and fast."""
    from sagemaker_jobs import train

    root = model_dir.parent / f"{estimator}-job"
    (root / "train").mkdir(parents=True)
    (root / "train" / "train.csv").write_bytes(PENGUINS.read_bytes())
    extra = ["--n-estimators", "20"] if estimator == "random_forest" else []
    with contextlib.redirect_stdout(io.StringIO()):
        code = train.main(["--train", str(root / "train"), "--model-dir", str(model_dir),
                           "--output-data-dir", str(root / "output" / "data"), "--output-dir", str(root / "output"),
                           "--target", "species", "--problem-type", "classification", "--estimator", estimator,
                           *extra])
    assert code == 0, (root / "output" / "failure").read_text()


def upload_artifacts(s3, bucket: str, workdir: Path, estimators=("random_forest", "linear")) -> Artifacts:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    from infra.job_code import write_archive

    s3.create_bucket(Bucket=bucket)
    workdir.mkdir(parents=True, exist_ok=True)
    archive = workdir / "sourcedir.tar.gz"
    write_archive(archive, {"": REPO_ROOT / "sagemaker_jobs", "mlops_core": REPO_ROOT / "mlops_core"})
    s3.put_object(Bucket=bucket, Key="code/sourcedir.tar.gz", Body=archive.read_bytes())
    urls, dirs = {}, {}
    for estimator in estimators:
        model_dir = workdir / estimator / "model"
        model_dir.mkdir(parents=True)
        train_model(model_dir, estimator)
        packed = workdir / estimator / "model.tar.gz"
        make_tar_gz(model_dir, packed)
        s3.put_object(Bucket=bucket, Key=f"models/{estimator}/model.tar.gz", Body=packed.read_bytes())
        urls[estimator] = f"s3://{bucket}/models/{estimator}/model.tar.gz"
        dirs[estimator] = model_dir
    return Artifacts(bucket, f"s3://{bucket}/code/sourcedir.tar.gz", urls, dirs)


def inference_specification(model_url: str, source_url: str) -> dict:
    return {
        "Containers": [{"Image": IMAGE, "ModelDataUrl": model_url, "Environment": {
            "SAGEMAKER_PROGRAM": "inference.py", "SAGEMAKER_SUBMIT_DIRECTORY": source_url}}],
        "SupportedContentTypes": CONTENT_TYPES, "SupportedResponseMIMETypes": CONTENT_TYPES,
    }


def register_package(sagemaker, group: str, model_url: str, source_url: str) -> str:
    try:
        sagemaker.create_model_package_group(ModelPackageGroupName=group)
    except sagemaker.exceptions.ClientError:
        pass  # the group exists already (moto answers ValidationException)
    return sagemaker.create_model_package(
        ModelPackageGroupName=group, ModelApprovalStatus="Approved",
        InferenceSpecification=inference_specification(model_url, source_url))["ModelPackageArn"]


def create_model_from_package(sagemaker, name: str, package_arn: str) -> str:
    sagemaker.create_model(ModelName=name, ExecutionRoleArn=ROLE_ARN,
                           PrimaryContainer={"ModelPackageName": package_arn})
    return name


def code_archive(files: dict[str, str]) -> bytes:
    """A sourcedir.tar.gz (or a model.tar.gz) holding `files` (name -> text)."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            path = Path(tmp) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            for child in sorted(Path(tmp).iterdir()):
                tar.add(child, arcname=child.name)
        return buffer.getvalue()
