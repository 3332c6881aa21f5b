"""Runs SageMaker training and processing jobs locally, per SageMaker's own contracts.

moto records CreateTrainingJob / CreateProcessingJob but never runs them. These functions
take the exact boto3 request dict and run the job as a subprocess under a fresh temporary
root R that stands in for the container's filesystem (R/opt/ml/...):

- training: script mode as the sagemaker-training toolkit does it (channels, config files,
  SM_* environment, `python <sagemaker_program> --name value ...`, model.tar.gz/output.tar.gz
  under `<S3OutputPath>/<job>/output/`, FailureReason from /opt/ml/output/failure, metrics
  from MetricDefinitions regexes);
- processing: inputs under their LocalPath, ContainerEntrypoint + ContainerArguments with
  /opt/ml rebased and `python3`/`python` resolving to the given interpreter, outputs uploaded.

Job-level failures come back as a Failed (or, past MaxRuntimeInSeconds, Stopped) outcome with
a SageMaker-like reason; only programmer errors (a malformed request) raise.
"""

from mlops.localcloud.sagemaker.outcome import JobOutcome
from mlops.localcloud.sagemaker.processing import run_processing_job
from mlops.localcloud.sagemaker.training import run_training_job

__all__ = ["JobOutcome", "run_processing_job", "run_training_job"]
