"""Runs the SageMaker training and processing jobs that moto only records.

moto's CreateTrainingJob stores a job that is Completed at once, with fake metric
definitions and no artifacts. The hooks call `JobScheduler.training_created` right after
moto stored the job: the record is put back to what AWS shows (InProgress, the request's own
MetricDefinitions), the job runs in the background per SageMaker's contract
(`sagemaker_runner`), and its outcome (status, FailureReason, FinalMetricDataList,
ModelArtifacts) is written back so Describe* answers as SageMaker would.
"""

from __future__ import annotations

import copy
import logging
import os
import sys
from concurrent.futures import Future, ThreadPoolExecutor

from mlops.localcloud import job_events
from mlops.localcloud.credentials import role_session
from mlops.localcloud.sagemaker_runner import run_processing_job, run_training_job

LOG = logging.getLogger(__name__)


def _now():
    from moto.core.utils import utcnow

    return utcnow()


class JobScheduler:
    def __init__(self, *, endpoint_url: str, region: str, python: str = sys.executable) -> None:
        self.endpoint_url = endpoint_url
        self.region = region
        self.python = python
        # One job per core: training is CPU-bound and the machine has few cores.
        self._pool = ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1), thread_name_prefix="sagemaker-job")

    def training_created(self, job, request: dict) -> None:
        job.algorithm_specification = copy.deepcopy(request["AlgorithmSpecification"])
        job.training_job_status = "InProgress"
        job.secondary_status = "Starting"
        job.final_metric_data_list = None
        job.model_artifacts = None
        job.training_end_time = None
        job.failure_reason = None
        self._pool.submit(self._run_training, job, request)

    def processing_created(self, job, request: dict) -> Future:
        """Run the job in the background; the future is done once its end event was sent."""
        job.processing_job_status = "InProgress"
        job.processing_end_time = None
        job.processing_start_time = _now()
        job.failure_reason = None
        job.exit_message = None
        job_events.announce(job)
        return self._pool.submit(self._run_processing, job, request)

    def _clients(self, role_arn: str, name: str):
        session = role_session(role_arn, endpoint_url=self.endpoint_url, region=self.region, session_name=name)
        return (session.client("s3", endpoint_url=self.endpoint_url),
                session.client("logs", endpoint_url=self.endpoint_url),
                session.client("cloudwatch", endpoint_url=self.endpoint_url))

    def _run_training(self, job, request: dict) -> None:
        try:
            s3, logs, _cloudwatch = self._clients(request["RoleArn"], request["TrainingJobName"])
            job.secondary_status = "Training"
            outcome = run_training_job(request, s3_client=s3, logs_client=logs, python=self.python)
        except Exception as exc:  # the job record must always reach a terminal state
            LOG.exception("local training job %s crashed", request.get("TrainingJobName"))
            job.failure_reason = f"InternalServerError: the embedded cloud could not run the job: {exc}"
            job.training_job_status = job.secondary_status = "Failed"
            job.training_end_time = job.last_modified_time = _now()
            return
        job.final_metric_data_list = outcome.final_metrics or None
        if outcome.model_artifacts:
            job.model_artifacts = {"S3ModelArtifacts": outcome.model_artifacts}
        job.failure_reason = outcome.failure_reason
        job.training_start_time = outcome.started
        job.training_end_time = job.last_modified_time = outcome.ended
        job.secondary_status = outcome.secondary_status
        job.training_job_status = outcome.status

    def _run_processing(self, job, request: dict) -> None:
        try:
            s3, logs, cloudwatch = self._clients(request["RoleArn"], request["ProcessingJobName"])
            outcome = run_processing_job(request, s3_client=s3, logs_client=logs, cloudwatch_client=cloudwatch,
                                         python=self.python)
        except Exception as exc:
            LOG.exception("local processing job %s crashed", request.get("ProcessingJobName"))
            job.failure_reason = f"InternalServerError: the embedded cloud could not run the job: {exc}"
            job.processing_job_status = "Failed"
            job.processing_end_time = job.last_modified_time = _now()
            job_events.announce(job)
            return
        job.failure_reason = outcome.failure_reason
        job.exit_message = outcome.exit_message
        job.processing_start_time = outcome.started
        job.processing_end_time = job.last_modified_time = outcome.ended
        job.processing_job_status = outcome.status
        # SageMaker announces the end on EventBridge (the stack's MonitorJobs rule waits for it).
        job_events.announce(job)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
