"""Deterministic names for pipeline runs and SageMaker jobs (docs/contracts.md).

Names are derived from the uploaded object's bucket, key and version id, so a redelivered
event maps to the same Step Functions execution name and StartExecution refuses a second run.
The model segment comes straight from an S3 key, i.e. from whatever a user uploaded, so every
function here must cope with any text (unicode, spaces, very long) and still produce a name
the service accepts.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

DATASETS_PREFIX = "datasets/"

# Step Functions execution names: at most 80 characters; we restrict ourselves to A-Za-z0-9-_
# (safe for CloudWatch Logs and X-Ray too, which the service documents as a caveat).
EXECUTION_NAME_MAX = 80
_EXECUTION_MODEL_MAX = 40
_EXECUTION_HASH_HEX = 16
_EXECUTION_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")

# SageMaker job names: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$ (no underscores, <= 63 characters).
JOB_NAME_MAX = 63
_JOB_MODEL_MAX = 36
_JOB_HASH_HEX = 12
_JOB_SUFFIX_MAX = JOB_NAME_MAX - _JOB_MODEL_MAX - _JOB_HASH_HEX - 2  # two joining dashes
_JOB_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")

# HyperParameterTuningJobName: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$ (at most 32 characters).
# SageMaker names each trial `<tuning job>-<3 digits>-<8 hex>`, so the model prefix of the
# tuning job also starts every trial's name (IAM grants rely on it).
TUNING_JOB_NAME_MAX = 32
TUNING_SUFFIX = "tune"
_TUNING_MODEL_MAX = TUNING_JOB_NAME_MAX - _JOB_HASH_HEX - len(TUNING_SUFFIX) - 2

# SageMaker Experiments names (experiments, trials): ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}$.
_TRIAL_NAME_MAX = 120

# Used when nothing of a name survives sanitising (a key outside a model folder, or a model
# folder named only in CJK, say): the hash still makes the name unique.
_FALLBACK = "unknown"


def run_hash(bucket: str, key: str, version_id: str) -> str:
    """Full sha256 hex digest of ``bucket|key|version_id``; names use a prefix of it."""
    return hashlib.sha256(f"{bucket}|{key}|{version_id}".encode("utf-8")).hexdigest()


def upload_execution_name(model: str, bucket: str, key: str, version_id: str) -> str:
    """``up-<model sanitised, cut to 40>-<first 16 hex of run_hash>``; at most 60 characters."""
    model_part = _sanitise(model, _EXECUTION_UNSAFE, _EXECUTION_MODEL_MAX)
    digest = run_hash(bucket, key, version_id)[:_EXECUTION_HASH_HEX]
    return f"up-{model_part}-{digest}"


def job_name(model: str, bucket: str, key: str, version_id: str, suffix: str) -> str:
    """``<model cut to 36>-<first 12 hex of run_hash>-<suffix>``, a valid SageMaker job name.

    The suffix (e.g. ``train``, ``eval``) is sanitised and cut to what still fits in 63.
    """
    return run_job_name(model, run_hash(bucket, key, version_id), suffix)


def run_job_name(model: str, digest: str, suffix: str) -> str:
    """``<model cut to 36>-<first 12 hex of digest>-<suffix>``: the job names of any run,
    from the hash that names the run (an upload's ``run_hash``, a retraining's ``retraining_hash``)."""
    suffix_part = _sanitise(suffix, _JOB_UNSAFE, _JOB_SUFFIX_MAX, fallback="")
    if not suffix_part:
        raise ValueError(f"job name suffix {suffix!r} has no usable characters [A-Za-z0-9-]")
    model_part = _sanitise(model, _JOB_UNSAFE, _JOB_MODEL_MAX)
    return f"{model_part}-{digest[:_JOB_HASH_HEX]}-{suffix_part}"


def tuning_job_prefix(model: str) -> str:
    """The model part of tuning job (and trial) names: sanitised, cut to 14 characters."""
    return _sanitise(model, _JOB_UNSAFE, _TUNING_MODEL_MAX)


def tuning_job_name(model: str, bucket: str, key: str, version_id: str) -> str:
    """``<model cut to 14>-<first 12 hex of run_hash>-tune``, a valid tuning job name (<= 32)."""
    return run_tuning_job_name(model, run_hash(bucket, key, version_id))


def run_tuning_job_name(model: str, digest: str) -> str:
    """The tuning job name of any run, from the hash that names the run (see run_job_name)."""
    return f"{tuning_job_prefix(model)}-{digest[:_JOB_HASH_HEX]}-{TUNING_SUFFIX}"


def retraining_hash(model: str, episode: str) -> str:
    """Full sha256 hex digest of ``retrain|<model>|<episode>``: one episode (an alarm's state
    change, an operator's request) names one retraining run of a model."""
    return hashlib.sha256(f"retrain|{model}|{episode}".encode("utf-8")).hexdigest()


def retraining_execution_name(model: str, episode: str) -> str:
    """``rt-<model sanitised, cut to 40>-<first 16 hex of retraining_hash>``; at most 60 characters."""
    model_part = _sanitise(model, _EXECUTION_UNSAFE, _EXECUTION_MODEL_MAX)
    return f"rt-{model_part}-{retraining_hash(model, episode)[:_EXECUTION_HASH_HEX]}"


def experiment_trial_name(experiment: str, run_id: str) -> str:
    """A SageMaker Experiments trial name (unique per account and region, at most 120 of
    ``[a-zA-Z0-9-]``) for one run: the experiment (= model package group, unique per stack
    and model) cut to fit, then the run id."""
    run_part = _sanitise(run_id, _JOB_UNSAFE, _TRIAL_NAME_MAX // 2)
    experiment_part = _sanitise(experiment, _JOB_UNSAFE, _TRIAL_NAME_MAX - len(run_part) - 1)
    return f"{experiment_part}-{run_part}"


def model_from_key(key: str) -> str | None:
    """Model name of a ``datasets/<model>/<anything>`` key, else None.

    None means the key is not inside a model folder (``datasets/file.csv``, ``other/x.csv``,
    ``datasets//x.csv``): there is no model to look up.
    """
    if not key.startswith(DATASETS_PREFIX):
        return None
    model, sep, rest = key[len(DATASETS_PREFIX) :].partition("/")
    if not sep or not model or not rest:
        return None
    return model


def _sanitise(text: str, unsafe: re.Pattern[str], limit: int, fallback: str = _FALLBACK) -> str:
    # Fold accents to ASCII first so 'pingüino' stays readable as 'pinguino' instead of 'ping-ino'.
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = unsafe.sub("-", folded).strip("-")
    # Strip again after cutting: a cut can expose a '-' at the end, and the caller joins with '-'.
    return cleaned[:limit].strip("-") or fallback


def execution_arn(state_machine_arn: str, name: str) -> str:
    """ARN of the execution ``name`` of a state machine (``...:stateMachine:X`` -> ``...:execution:X:name``)."""
    prefix, marker, machine = state_machine_arn.partition(":stateMachine:")
    if not marker:
        raise ValueError(f"not a state machine ARN: {state_machine_arn!r}")
    return f"{prefix}:execution:{machine}:{name}"


# Deployments (docs/contracts.md "Serving"): one approval of one package version names one
# deployment run and every SageMaker resource and alarm it makes.
_SHADOW_SUFFIX = "-shadow"


def deployment_hash(model_package_arn: str, approved_at: str) -> str:
    """Full sha256 hex digest of ``<package ARN>|<approval time>``: a package approved again
    later is a new deployment; the same approval event delivered twice is not."""
    return hashlib.sha256(f"{model_package_arn}|{approved_at}".encode("utf-8")).hexdigest()


def deployment_execution_name(model: str, model_package_arn: str, approved_at: str) -> str:
    """``dp-<model sanitised, cut to 40>-<first 16 hex of deployment_hash>``; at most 60 characters."""
    model_part = _sanitise(model, _EXECUTION_UNSAFE, _EXECUTION_MODEL_MAX)
    return f"dp-{model_part}-{deployment_hash(model_package_arn, approved_at)[:_EXECUTION_HASH_HEX]}"


def deployment_resource_name(model: str, digest: str) -> str:
    """``<model cut to 36>-<first 12 hex of digest>``: the SageMaker model and the endpoint
    config of one deployment (at most 49 characters, so the shadow config's name fits in 63)."""
    return f"{deployment_resource_prefix(model)}-{digest[:_JOB_HASH_HEX]}"


def deployment_resource_prefix(model: str) -> str:
    """What every deployment's model and endpoint config names start with (IAM grants use it)."""
    return _sanitise(model, _JOB_UNSAFE, _JOB_MODEL_MAX)


def shadow_endpoint_config_name(endpoint_config: str) -> str:
    return f"{endpoint_config}{_SHADOW_SUFFIX}"


def shadow_variant_name(variant: str) -> str:
    """The candidate's variant in a shadow config: production's name plus ``-shadow``, cut to
    fit SageMaker's 63 characters."""
    return f"{variant[:JOB_NAME_MAX - len(_SHADOW_SUFFIX)].rstrip('-')}{_SHADOW_SUFFIX}"


def endpoint_alarm_name(endpoint: str) -> str:
    """The endpoint-wide 5XX rollback alarm (made by CDK, both fleets)."""
    return f"{endpoint}-5xx"


def new_fleet_alarm_names(endpoint: str, endpoint_config: str) -> tuple[str, str]:
    """(latency, errors): the rollback alarms one deployment makes for its new fleet."""
    return f"{endpoint}-{endpoint_config}-latency", f"{endpoint}-{endpoint_config}-5xx"


# Monitoring (docs/contracts.md "Monitoring"): one schedule per endpoint and check. The names
# are the `MonitoringSchedule` metric dimension, so alarms and dashboards find the metrics by them.
DATA_QUALITY_CHECK = "data-quality"
MODEL_QUALITY_CHECK = "model-quality"
MONITORING_CHECKS = (DATA_QUALITY_CHECK, MODEL_QUALITY_CHECK)


def monitoring_schedule_name(endpoint: str, check: str) -> str:
    """``<endpoint>-data-quality`` or ``<endpoint>-model-quality``."""
    if check not in MONITORING_CHECKS:
        raise ValueError(f"check must be one of {', '.join(MONITORING_CHECKS)}, not {check!r}")
    return f"{endpoint}-{check}"


def data_quality_schedule_name(endpoint: str) -> str:
    return monitoring_schedule_name(endpoint, DATA_QUALITY_CHECK)


def model_quality_schedule_name(endpoint: str) -> str:
    return monitoring_schedule_name(endpoint, MODEL_QUALITY_CHECK)


# With monitoring.engine "model-monitor": job definitions are immutable, so each deployed
# package version gets its own, `<endpoint cut to 47>-dq-<first 12 hex of sha256(package ARN)>`.
_JOB_DEFINITION_INFIX = "-dq-"
_JOB_DEFINITION_ENDPOINT_MAX = JOB_NAME_MAX - len(_JOB_DEFINITION_INFIX) - _JOB_HASH_HEX


def data_quality_job_definition_prefix(endpoint: str) -> str:
    """What the endpoint's data-quality job definitions are named from (IAM grants use it)."""
    return f"{endpoint[:_JOB_DEFINITION_ENDPOINT_MAX]}{_JOB_DEFINITION_INFIX}"


def data_quality_job_definition_name(endpoint: str, model_package_arn: str) -> str:
    """The DataQualityJobDefinition of one package version at one endpoint (at most 63 characters)."""
    digest = hashlib.sha256(model_package_arn.encode("utf-8")).hexdigest()
    return f"{data_quality_job_definition_prefix(endpoint)}{digest[:_JOB_HASH_HEX]}"


def monitoring_job_name(model: str, check: str, window_end: str) -> str:
    """``<model cut to 36>-<12 hex of sha256("monitor|model|check|window end")>-<dq|mq>``: the
    Processing job of one large check; the same window asked twice names the same job."""
    digest = hashlib.sha256(f"monitor|{model}|{check}|{window_end}".encode("utf-8")).hexdigest()
    return run_job_name(model, digest, "dq" if check == DATA_QUALITY_CHECK else "mq")
