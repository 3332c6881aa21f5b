"""A CreateProcessingJob request run locally, as SageMaker Processing runs the container:
inputs under their LocalPath, `docker run --entrypoint <ContainerEntrypoint> <image>
<ContainerArguments>`, outputs uploaded from their LocalPath at the end of the job. An AWS image
without an entrypoint runs the embedded cloud's stand-in (`builtin_images`), and the CloudWatch
metrics a container leaves are published as the job's role (`container_metrics`)."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from mlops.localcloud.sagemaker import builtin_images, container_metrics, isolation, toolkit
from mlops.localcloud.sagemaker.container import (JobLog, base_env, python_shims, rebase, rewrite_opt_ml,
                                                  run_container)
from mlops.localcloud.sagemaker.joblogs import PROCESSING_LOG_GROUP, log_stream_name, ship_logs
from mlops.localcloud.sagemaker.outcome import MAX_REASON_CHARS, JobError, JobOutcome, clip_reason, utcnow
from mlops.localcloud.sagemaker.s3io import AWS_ERRORS, download_s3_data, upload_tree

DEFAULT_MAX_RUNTIME = 86400


def run_processing_job(request: dict, *, s3_client, logs_client=None, cloudwatch_client=None,
                       python: str = sys.executable, keep_root: bool = False) -> JobOutcome:
    name = request["ProcessingJobName"]
    started = utcnow()
    job = _ProcessingJob(request, Path(tempfile.mkdtemp(prefix=f"sagemaker-processing-{name}-")), s3_client, python,
                         cloudwatch_client)
    try:
        job.run()
        status, reason, secondary = "Completed", None, "Completed"
    except JobError as exc:
        job.log.add(exc.reason)
        status, reason, secondary = exc.status, exc.reason, exc.secondary_status
    finally:
        if not keep_root:
            shutil.rmtree(job.root, ignore_errors=True)
    ship_logs(logs_client, PROCESSING_LOG_GROUP, log_stream_name(name, started), job.log.lines)
    return JobOutcome(status=status, failure_reason=reason, final_metrics=[], model_artifacts=None,
                      log_text=job.log.text(), started=started, ended=utcnow(), secondary_status=secondary,
                      exit_message=job.exit_message, root=str(job.root) if keep_root else None,
                      output_artifacts=job.uploads)


class _ProcessingJob:
    def __init__(self, request: dict, root: Path, s3, python: str, cloudwatch=None) -> None:
        self.request, self.root, self.s3, self.python = request, root, s3, python
        self.cloudwatch = cloudwatch  # publishes the container's metrics when its Environment asks for it
        self.name = request["ProcessingJobName"]
        self.log = JobLog()
        self.exit_message: str | None = None
        self.uploads: list[str] = []

    def run(self) -> None:
        cmd = self._command()
        self._download_inputs()
        outputs = self._prepare_outputs()
        self._write_configs()
        env = {**base_env(python_shims(self.root / "bin", self.python), self.s3.meta.region_name),
               **(self.request.get("Environment") or {}),
               **isolation.container_env(isolation.processing_isolated(self.request))}
        self.log.add(f"Running the container command:\n\n{' '.join(cmd)}\n")
        limit = (self.request.get("StoppingCondition") or {}).get("MaxRuntimeInSeconds", DEFAULT_MAX_RUNTIME)
        result = run_container(cmd, env=env, cwd=self.root, log=self.log, max_runtime=limit)
        self.exit_message = self._read_exit_message()
        if result.timed_out:
            raise JobError(f"MaxRuntimeExceeded: Processing job {self.name} ran longer than "
                           f"StoppingCondition.MaxRuntimeInSeconds ({limit} seconds) and was stopped.",
                           status="Stopped", secondary_status="MaxRuntimeExceeded")
        if result.exit_code != 0:
            raise JobError(clip_reason(f"AlgorithmError: See job logs for more information. The container "
                                       f"exited with exit code {result.exit_code}. Last stderr lines:\n",
                                       self.log.stderr_tail(20)))
        kms_key = (self.request.get("ProcessingOutputConfig") or {}).get("KmsKeyId")
        for local, uri in outputs:
            self.uploads += upload_tree(self.s3, local, uri, kms_key)
        self.log.add(f"Uploaded {len(self.uploads)} output file(s)")
        self._publish_metrics()

    def _command(self) -> list[str]:
        """Entrypoint + arguments with /opt/ml rebased. `python3`/`python` resolve to the given
        interpreter through the shims first on PATH."""
        app = self.request["AppSpecification"]
        entrypoint = app.get("ContainerEntrypoint") or builtin_images.default_entrypoint(app.get("ImageUri", ""))
        if not entrypoint:
            raise JobError(f"ClientError: AppSpecification.ContainerEntrypoint is required locally: the default "
                           f"entrypoint of {app.get('ImageUri')} cannot run without its image")
        command = entrypoint + (app.get("ContainerArguments") or [])
        return [rewrite_opt_ml(self.root, arg) for arg in command]

    def _download_inputs(self) -> None:
        for item in self.request.get("ProcessingInputs") or []:
            name, source = item["InputName"], item.get("S3Input")
            if not source:
                raise JobError(f"ClientError: ProcessingInput {name}: only S3Input is supported locally")
            kind, mode = source.get("S3DataType", "S3Prefix"), source.get("S3InputMode", "File")
            if (kind, mode) != ("S3Prefix", "File"):
                raise JobError(f"ClientError: ProcessingInput {name}: only S3DataType S3Prefix with S3InputMode "
                               f"File is supported locally (got {kind}, {mode})")
            local = rebase(self.root, source["LocalPath"])
            local.mkdir(parents=True, exist_ok=True)
            count = download_s3_data(self.s3, source["S3Uri"], local)
            if count == 0:
                raise JobError(f'ClientError: No S3 objects found under S3 URL "{source["S3Uri"]}" '
                               f"given in ProcessingInput {name}")
            self.log.add(f"Input {name}: downloaded {count} file(s) from {source['S3Uri']} to {source['LocalPath']}")

    def _prepare_outputs(self) -> list[tuple[Path, str]]:
        # SageMaker creates each output LocalPath before the container starts.
        outputs = []
        for item in (self.request.get("ProcessingOutputConfig") or {}).get("Outputs") or []:
            target = item.get("S3Output")
            if not target:
                raise JobError(f"ClientError: ProcessingOutput {item['OutputName']}: "
                               f"only S3Output is supported locally")
            local = rebase(self.root, target["LocalPath"])
            local.mkdir(parents=True, exist_ok=True)
            outputs.append((local, target["S3Uri"]))  # Continuous uploads too happen at the end, locally
        (self.root / "opt" / "ml" / "output").mkdir(parents=True, exist_ok=True)
        return outputs

    def _write_configs(self) -> None:
        config_dir = self.root / "opt" / "ml" / "config"
        config_dir.mkdir(parents=True, exist_ok=True)
        cluster = (self.request.get("ProcessingResources") or {}).get("ClusterConfig") or {}
        (config_dir / "processingjobconfig.json").write_text(json.dumps(self.request, default=str))
        (config_dir / "resourceconfig.json").write_text(
            json.dumps(toolkit.resource_config(cluster.get("InstanceType", "local"))))

    def _publish_metrics(self) -> None:
        environment = self.request.get("Environment") or {}
        if self.cloudwatch is None or not container_metrics.enabled(environment):
            return
        data = container_metrics.read_metrics(self.root)
        try:
            count = container_metrics.publish(self.cloudwatch, environment, data)
        except AWS_ERRORS as exc:
            raise JobError(f"ClientError: the container's CloudWatch metrics could not be published as "
                           f"{self.request.get('RoleArn')}: {exc}") from exc
        self.log.add(f"Published {count} CloudWatch datapoint(s) to {container_metrics.namespace(environment)}")

    def _read_exit_message(self) -> str | None:
        """The first 1 KB of /opt/ml/output/message, DescribeProcessingJob's ExitMessage."""
        message = self.root / "opt" / "ml" / "output" / "message"
        if not message.is_file():
            return None
        try:
            return message.read_bytes().decode("utf-8")[:MAX_REASON_CHARS]
        except UnicodeDecodeError as exc:
            raise JobError("ClientError: /opt/ml/output/message is not UTF-8 encoded") from exc
