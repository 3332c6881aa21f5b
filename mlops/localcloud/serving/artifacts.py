"""A serving container's files, laid out as SageMaker lays them out on an instance.

`ModelDataUrl` (model.tar.gz) is extracted to /opt/ml/model; the inference code comes from
`SAGEMAKER_SUBMIT_DIRECTORY`: an s3:// sourcedir.tar.gz (as our registry packages set it) is
extracted to /opt/ml/code, a container path (the SDK's repacked `/opt/ml/model/code`) is used
as it is; without it, a `code/` folder inside model.tar.gz is the code.
"""

from __future__ import annotations

import tarfile
from dataclasses import dataclass
from pathlib import Path

from mlops.localcloud.sagemaker.container import rebase
from mlops.localcloud.sagemaker.outcome import JobError
from mlops.localcloud.sagemaker.s3io import AWS_ERRORS, download_object, extract_tar, parse_s3_uri
from mlops.localcloud.serving.model_source import ContainerSpec
from mlops.localcloud.serving.spec import FleetStartError


@dataclass(frozen=True)
class ContainerFiles:
    root: Path       # stands in for the instance's "/"
    model_dir: Path  # /opt/ml/model
    code_dir: Path
    program: str     # SAGEMAKER_PROGRAM, e.g. "inference.py"


def prepare_container_files(s3, container: ContainerSpec, root: Path) -> ContainerFiles:
    model_dir = root / "opt" / "ml" / "model"
    model_dir.mkdir(parents=True, exist_ok=True)
    if container.model_data_url:
        _fetch_archive(s3, container.model_data_url, model_dir, what="model data")
    program = container.environment.get("SAGEMAKER_PROGRAM", "").strip()
    if not program:
        raise FleetStartError(f"Model {container.model_name} has no SAGEMAKER_PROGRAM in its container "
                              "Environment: name the inference script (for example inference.py).")
    code_dir = _code_dir(s3, container, root, model_dir)
    if not (code_dir / program).is_file():
        raise FleetStartError(f"The inference script {program} (SAGEMAKER_PROGRAM) is not in the code of model "
                              f"{container.model_name} ({_code_origin(container)}).")
    return ContainerFiles(root=root, model_dir=model_dir, code_dir=code_dir, program=program)


def _code_dir(s3, container: ContainerSpec, root: Path, model_dir: Path) -> Path:
    submit = container.environment.get("SAGEMAKER_SUBMIT_DIRECTORY", "").strip()
    if submit.startswith("s3://"):
        code_dir = root / "opt" / "ml" / "code"
        code_dir.mkdir(parents=True, exist_ok=True)
        _fetch_archive(s3, submit, code_dir, what="inference code")
        return code_dir
    if submit:
        try:
            code_dir = rebase(root, submit)
        except JobError as exc:
            raise FleetStartError(f"SAGEMAKER_SUBMIT_DIRECTORY of model {container.model_name}: {exc.reason}") from None
        if not code_dir.is_dir():
            raise FleetStartError(f"SAGEMAKER_SUBMIT_DIRECTORY {submit} of model {container.model_name} "
                                  "is not a folder of the container (nor an s3:// URL).")
        return code_dir
    if (model_dir / "code").is_dir():
        return model_dir / "code"
    raise FleetStartError(f"Model {container.model_name} has no inference code: set SAGEMAKER_SUBMIT_DIRECTORY "
                          "to the s3:// URL of a sourcedir.tar.gz, or ship a code/ folder in model.tar.gz.")


def _code_origin(container: ContainerSpec) -> str:
    return container.environment.get("SAGEMAKER_SUBMIT_DIRECTORY") or "code/ in model.tar.gz"


def _fetch_archive(s3, uri: str, dest: Path, *, what: str) -> None:
    try:
        bucket, key = parse_s3_uri(uri)
    except JobError as exc:
        raise FleetStartError(f"The {what} location is invalid: {exc.reason}") from None
    archive = dest.parent / f".{dest.name}.tar.gz"
    try:
        download_object(s3, bucket, key, archive)
    except AWS_ERRORS as exc:
        # AWS's FailureReason for the same problem names the object and the role.
        raise FleetStartError(
            f"Failed to download {what} (bucket: {bucket}, key: {key}): {exc}. Please ensure that there is an "
            "object located at the URL and that the role passed to CreateModel has permissions to download it."
        ) from None
    try:
        extract_tar(archive, dest)
    except (tarfile.TarError, OSError) as exc:
        raise FleetStartError(f"The {what} at {uri} is not a readable tar.gz archive: {exc}") from None
    finally:
        archive.unlink(missing_ok=True)
