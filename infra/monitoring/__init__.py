"""Monitoring of the served models (docs/contracts.md "Monitoring"): the MonitorEndpoint
schedules, the drift and model-quality alarms, a dashboard per model, and the rules that turn
an alarm into a retraining request and a finished check job (or Model Monitor execution) into its
metrics."""

from infra.monitoring.alarm_trigger import AlarmRetrainingTrigger, ModelMonitorExecutionTrigger, MonitorJobTrigger
from infra.monitoring.alarms import MonitoringAlarms
from infra.monitoring.dashboard import ModelDashboards
from infra.monitoring.schedules import MonitoringSchedules, RetrainingSchedules

__all__ = ["AlarmRetrainingTrigger", "ModelDashboards", "ModelMonitorExecutionTrigger", "MonitorJobTrigger",
           "MonitoringAlarms", "MonitoringSchedules", "RetrainingSchedules"]
