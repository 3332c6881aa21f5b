"""A CreateTrainingJob request run locally in script mode, as SageMaker and the
sagemaker-training toolkit run it inside the framework container."""

from __future__ import annotations

import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

from mlops.localcloud.sagemaker import isolation, toolkit
from mlops.localcloud.sagemaker.container import JobLog, base_env, python_shims, rebase, run_container
from mlops.localcloud.sagemaker.joblogs import (TRAINING_LOG_GROUP, compile_metric_definitions, final_metrics,
                                                log_stream_name, ship_logs)
from mlops.localcloud.sagemaker.outcome import JobError, JobOutcome, clip_reason, utcnow
from mlops.localcloud.sagemaker.s3io import (AWS_ERRORS, download_object, download_s3_data, extract_tar, inside,
                                             join_key, make_tar_gz, parse_s3_uri, upload_file)

DEFAULT_MAX_RUNTIME = 86400  # StoppingCondition.MaxRuntimeInSeconds when the request has none


def run_training_job(request: dict, *, s3_client, logs_client=None, python: str = sys.executable,
                     keep_root: bool = False) -> JobOutcome:
    name = request["TrainingJobName"]
    started = utcnow()
    job = _TrainingJob(request, Path(tempfile.mkdtemp(prefix=f"sagemaker-training-{name}-")), s3_client, python)
    try:
        job.run()
        status, reason, secondary = "Completed", None, "Completed"
    except JobError as exc:
        job.log.add(exc.reason)
        status, reason, secondary = exc.status, exc.reason, exc.secondary_status
    finally:
        if not keep_root:
            shutil.rmtree(job.paths.root, ignore_errors=True)
    ship_logs(logs_client, TRAINING_LOG_GROUP, log_stream_name(name, started), job.log.lines)
    return JobOutcome(status=status, failure_reason=reason, model_artifacts=job.model_artifacts,
                      final_metrics=final_metrics(job.metric_definitions, job.log.lines),
                      log_text=job.log.text(), started=started, ended=utcnow(), secondary_status=secondary,
                      root=str(job.paths.root) if keep_root else None, output_artifacts=job.uploads)


class _TrainingJob:
    def __init__(self, request: dict, root: Path, s3, python: str) -> None:
        self.request, self.s3, self.python = request, s3, python
        self.name = request["TrainingJobName"]
        self.spec = request["AlgorithmSpecification"]
        self.raw_hyperparameters = request.get("HyperParameters") or {}
        self.paths = toolkit.MlPaths(root)
        self.log = JobLog()
        self.metric_definitions: list = []
        self.model_artifacts: str | None = None
        self.uploads: list[str] = []

    def run(self) -> None:
        self.metric_definitions = compile_metric_definitions(self.spec.get("MetricDefinitions"))
        self.paths.create()
        input_data_config = self._download_channels()
        decoded = toolkit.decode_hyperparameters(self.raw_hyperparameters)
        resources = toolkit.resource_config((self.request.get("ResourceConfig") or {}).get("InstanceType", "local"))
        toolkit.write_configs(self.paths, self.raw_hyperparameters, input_data_config, resources)
        program, module_dir = self._install_code(decoded)
        cmd = self._command(program, decoded)
        env = {**base_env(python_shims(self.paths.root / "bin", self.python), self._region(decoded)),
               **(self.request.get("Environment") or {}),
               **toolkit.training_env(paths=self.paths, job_name=self.name, decoded=decoded,
                                      channels=list(input_data_config), input_data_config=input_data_config,
                                      resources=resources, module_dir=module_dir),
               "PYTHONPATH": str(self.paths.code), "TRAINING_JOB_NAME": self.name, "CURRENT_HOST": toolkit.HOST,
               **isolation.container_env(isolation.training_isolated(self.request))}
        self.log.add(f"Invoking script with the following command:\n\n{' '.join(cmd)}\n")
        limit = (self.request.get("StoppingCondition") or {}).get("MaxRuntimeInSeconds", DEFAULT_MAX_RUNTIME)
        result = run_container(cmd, env=env, cwd=self.paths.code, log=self.log, max_runtime=limit)
        if result.timed_out:
            self._upload_model()  # AWS keeps what the script saved before it was stopped
            raise JobError(f"MaxRuntimeExceeded: Training job {self.name} ran longer than "
                           f"StoppingCondition.MaxRuntimeInSeconds ({limit} seconds) and was stopped.",
                           status="Stopped", secondary_status="MaxRuntimeExceeded")
        if result.exit_code != 0:
            raise JobError(self._failure_reason(cmd, result.exit_code))
        self._upload_model()
        self._upload_output_data()

    def _download_channels(self) -> dict:
        """Each channel's data into /opt/ml/input/data/<channel>; returns inputdataconfig.json."""
        config = {}
        for channel in self.request.get("InputDataConfig") or []:
            name = channel["ChannelName"]
            mode = channel.get("InputMode") or self.spec.get("TrainingInputMode", "File")
            source = _s3_source(name, mode, channel.get("DataSource") or {})
            count = download_s3_data(self.s3, source["S3Uri"], self.paths.channel(name))
            if count == 0:
                bucket, _ = parse_s3_uri(source["S3Uri"])
                raise JobError(f'ClientError: No S3 objects found under S3 URL "{source["S3Uri"]}" given in input '
                               f'data source. Please ensure that the bucket exists in the selected region, that '
                               f'objects exist under that S3 prefix, and that the role has "s3:ListBucket" '
                               f'permissions on bucket "{bucket}".')
            self.log.add(f"Channel {name}: downloaded {count} file(s) from {source['S3Uri']}")
            config[name] = {"TrainingInputMode": mode, "RecordWrapperType": channel.get("RecordWrapperType", "None"),
                            "S3DistributionType": source.get("S3DataDistributionType", "FullyReplicated"),
                            **({"ContentType": channel["ContentType"]} if channel.get("ContentType") else {})}
        return config

    def _install_code(self, decoded: dict) -> tuple[str, str]:
        """Fetch sagemaker_submit_directory into /opt/ml/code, as the toolkit does before it runs
        sagemaker_program. An S3 URI, or a container path (the `code` channel of a job with
        network isolation, which cannot reach S3)."""
        program, submit = decoded.get("sagemaker_program"), decoded.get("sagemaker_submit_directory")
        if not program:
            raise JobError("AlgorithmError: framework error: no entry point: the hyperparameter "
                           "sagemaker_program is missing")
        if not submit:
            raise JobError("AlgorithmError: framework error: no source code: the hyperparameter "
                           "sagemaker_submit_directory is missing")
        program, submit = str(program), str(submit)
        source = self._fetch_source(submit)
        entry = self.paths.code / program
        if not entry.is_file() or self.paths.code.resolve() not in entry.resolve().parents:
            raise JobError(f"AlgorithmError: framework error: the entry point sagemaker_program={program} "
                           f"is not in the source directory sagemaker_submit_directory={submit}")
        if (self.paths.code / "requirements.txt").is_file():
            self.log.add("requirements.txt is not installed locally: the job runs with the embedded cloud's Python")
        return program, source

    def _fetch_source(self, submit: str) -> str:
        try:
            if submit.startswith("s3://"):
                if isolation.training_isolated(self.request):
                    isolation.refuse_remote_code(submit)
                archive = self.paths.root / "sourcedir.tar.gz"
                download_object(self.s3, *parse_s3_uri(submit), archive)
                extract_tar(archive, self.paths.code)
                return submit
            local = rebase(self.paths.root, submit)
            if local.is_dir():
                shutil.copytree(local, self.paths.code, dirs_exist_ok=True)
            else:
                extract_tar(local, self.paths.code)
            return str(local)
        except (*AWS_ERRORS, tarfile.TarError, OSError) as exc:
            raise JobError(f"AlgorithmError: framework error: cannot install the source directory "
                           f"sagemaker_submit_directory={submit}: {exc}") from exc

    def _command(self, program: str, decoded: dict) -> list[str]:
        args = toolkit.to_cmd_args(toolkit.split_hyperparameters(decoded)[0])
        if program.endswith(".py"):
            return [self.python, program, *args]
        if program.endswith(".sh"):
            return ["/bin/sh", program, *args]
        return [str(inside(self.paths.code, program)), *args]

    def _region(self, decoded: dict) -> str | None:
        return decoded.get("sagemaker_region") or self.s3.meta.region_name

    def _failure_reason(self, cmd: list[str], exit_code: int) -> str:
        failure = self.paths.output / "failure"
        text = failure.read_text("utf-8", "replace").strip() if failure.is_file() else ""
        if text:  # SageMaker returns the first 1 KB of the script's own failure description
            return clip_reason(f"AlgorithmError: {text}")
        return clip_reason(f'AlgorithmError: ExecuteUserScriptError:\nExitCode {exit_code}\nErrorMessage "',
                           self.log.stderr_tail(20), f'"\nCommand "{" ".join(cmd)}", exit code: {exit_code}')

    def _output_uri(self, file_name: str) -> str:
        bucket, prefix = parse_s3_uri(self.request["OutputDataConfig"]["S3OutputPath"])
        return f"s3://{bucket}/{join_key(prefix, self.name, 'output', file_name)}"

    def _upload(self, directory: Path, file_name: str) -> str:
        archive = self.paths.root / file_name
        make_tar_gz(directory, archive)
        uri = upload_file(self.s3, archive, self._output_uri(file_name),
                          self.request["OutputDataConfig"].get("KmsKeyId"))
        self.uploads.append(uri)
        self.log.add(f"Uploaded {uri}")
        return uri

    def _upload_model(self) -> None:
        self.model_artifacts = self._upload(self.paths.model, "model.tar.gz")

    def _upload_output_data(self) -> None:
        if any(self.paths.output_data.iterdir()):
            self._upload(self.paths.output_data, "output.tar.gz")


def _s3_source(channel: str, mode: str, data_source: dict) -> dict:
    """The channel's S3DataSource, or a clear failure for what the local runner cannot serve."""
    source = data_source.get("S3DataSource")
    if not source:
        raise JobError(f"ClientError: channel {channel}: only S3DataSource is supported locally "
                       f"(got {sorted(data_source) or 'no DataSource'})")
    if source.get("S3DataType", "S3Prefix") != "S3Prefix":
        raise JobError(f"ClientError: channel {channel}: S3DataType {source['S3DataType']} is not supported "
                       f"locally; use S3Prefix")
    if mode == "Pipe":
        raise JobError(f"ClientError: channel {channel}: input mode Pipe is not supported locally; use File")
    return source
