"""The drift and model-quality monitor (docs/contracts.md "Monitoring"): one code path for the
MonitorEndpoint Lambda and the Processing job sagemaker_jobs/monitor.py.

Capture window -> feature chunks (window_reader, inputs) -> the data-quality core's statistics,
constraint checks and distances (drift) or predictions joined to ground truth (model_quality)
-> Model Monitor's report files, CloudWatch datapoints (metric_data) and the result document
(checks). run.py wires it to AWS with clients passed in.
"""

from mlops_core.monitoring.checks import (
    CheckReport,
    Target,
    data_quality_check,
    model_quality_check,
)
from mlops_core.monitoring.errors import (
    EndpointNotFound,
    InvalidRequest,
    MissingBaseline,
    MonitoringError,
)
from mlops_core.monitoring.model_monitor_execution import (
    Execution,
    foreign_reason,
    is_execution_event,
    publish_execution,
)
from mlops_core.monitoring.run import Buckets, Clients, publish_job_result, run_monitor

__all__ = [
    "Buckets", "CheckReport", "Clients", "EndpointNotFound", "Execution", "InvalidRequest", "MissingBaseline",
    "MonitoringError", "Target", "data_quality_check", "foreign_reason", "is_execution_event", "model_quality_check",
    "publish_execution", "publish_job_result", "run_monitor",
]
