"""SageMaker Model Monitor schedules in the embedded cloud: moto has none.

`api` adds the MonitoringSchedule API to moto's SageMaker (requests checked by
`schedule_requests` and `schedule_expression`, answered by `schedule_operations` from `store`)
and fixes its DataQualityJobDefinition answers (`job_definitions`). `runner.MonitoringScheduleRunner`
(`cloud.monitoring`) runs schedules on a clock: each execution is a Processing job
(`execution_plan`) of the `sagemaker-model-monitor-analyzer` image, whose local stand-in is
`analyzer` (started by `analyzer_main`), run by the JobScheduler as the job definition's role.
"""

from mlops.localcloud.model_monitor.api import install
from mlops.localcloud.model_monitor.runner import MonitoringScheduleNotRunnable, MonitoringScheduleRunner

__all__ = ["MonitoringScheduleNotRunnable", "MonitoringScheduleRunner", "install"]
