"""The `monitoring` block of a model's config (docs/contracts.md "Monitoring"): the scheduled
drift and model-quality checks of the model's endpoint, their alarms, and the retraining an
alarm (or a fixed schedule) starts.

Bounds are EventBridge Scheduler's and CloudWatch's own where they apply, so a config that
loads is one the APIs accept; `settings_block()` is what goes into the model's SSM settings
document, with the resolved schedule and alarm names StartPipeline maps alarms back by.
With `engine: "model-monitor"` the drift check is a SageMaker Model Monitor schedule the
deployment pipeline creates, so SageMaker's rules apply too (whole hours, its own distances).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from mlops.tuning_ranges import Strict
from mlops_core.alarm_retraining import monitoring_names

# CloudWatch: an alarm's evaluation range (period x periods) is at most one day.
MAX_EVALUATION_SECONDS = 86_400
# EventBridge Scheduler: schedule names are 1-64 of [0-9a-zA-Z-_.].
MAX_SCHEDULE_NAME = 64
QUALITY_METRICS = {"classification": ("accuracy", "f1"), "regression": ("rmse", "mae")}
# Error metrics alarm when they grow; scores when they fall.
LOWER_IS_BETTER = frozenset({"rmse", "mae"})
MODEL_MONITOR = "model-monitor"
# SageMaker: MonitoringScheduleName is at most 63 characters.
MAX_MONITORING_SCHEDULE_NAME = 63
# Model Monitor runs on the hour: cron(0 * ...) or every N hours of the day (cron(0 0/N ...)), so a
# schedule is a whole number of hours dividing 24; its analysis window is at most 24 hours.
HOURS_A_DAY = 24


class DriftConfig(Strict):
    # A share above this (of the features whose distance exceeds their baseline threshold)
    # raises the drift alarm; below 1, since a share never exceeds 1.
    max_drifted_share: float = Field(default=0.0, ge=0.0, lt=1.0)
    # Which distances judge drift: Model Monitor's (KS / L-infinity, the default) or Evidently's
    # (Wasserstein / reference std, Jensen-Shannon), at the baseline constraints' thresholds.
    method: Literal["model-monitor", "wasserstein-js"] = "model-monitor"


class ModelQualityConfig(Strict):
    enabled: bool = True
    metric: Literal["accuracy", "f1", "rmse", "mae"] | None = None  # None: accuracy / rmse by problem type
    threshold: float | None = None  # None: the metric is published, no alarm watches it
    min_labels: int = Field(default=10, ge=1)

    def resolved_metric(self, problem_type: str) -> str:
        return self.metric or QUALITY_METRICS[problem_type][0]

    def check(self, problem_type: str) -> None:
        metric = self.resolved_metric(problem_type)
        if metric not in QUALITY_METRICS[problem_type]:
            raise ValueError(f"monitoring.model_quality.metric: '{metric}' does not apply to a {problem_type} "
                             f"model; use one of {', '.join(QUALITY_METRICS[problem_type])}")
        if self.threshold is None:
            return
        if metric in LOWER_IS_BETTER and self.threshold < 0:
            raise ValueError(f"monitoring.model_quality.threshold: {metric} is never negative, got {self.threshold}")
        if metric not in LOWER_IS_BETTER and not 0 <= self.threshold <= 1:
            raise ValueError(f"monitoring.model_quality.threshold: {metric} lies between 0 and 1, "
                             f"got {self.threshold}")


class MonitoringAlarmsConfig(Strict):
    evaluation_periods: int = Field(default=1, ge=1)


class RetrainingConfig(Strict):
    on_alarm: bool = True
    cooldown_minutes: int = Field(default=360, ge=0, le=10_080)
    schedule_days: int | None = Field(default=None, ge=1, le=365)


class MonitoringConfig(Strict):
    enabled: bool = True
    engine: Literal["serverless", "model-monitor"] = "serverless"
    schedule_minutes: int = Field(default=60, ge=5, le=1440)
    window_minutes: int = Field(default=60, ge=5, le=10_080)
    processing_above_bytes: int = Field(default=268_435_456, ge=1)
    drift: DriftConfig = Field(default_factory=DriftConfig)
    model_quality: ModelQualityConfig = Field(default_factory=ModelQualityConfig)
    alarms: MonitoringAlarmsConfig = Field(default_factory=MonitoringAlarmsConfig)
    retraining: RetrainingConfig = Field(default_factory=RetrainingConfig)

    @model_validator(mode="after")
    def _consistent(self) -> MonitoringConfig:
        if self.enabled and self.engine == MODEL_MONITOR:
            self._check_model_monitor()
        evaluation = self.schedule_minutes * 60 * self.alarms.evaluation_periods
        if evaluation > MAX_EVALUATION_SECONDS:
            raise ValueError(f"monitoring.alarms.evaluation_periods: schedule_minutes x 60 x evaluation_periods must "
                             f"be at most {MAX_EVALUATION_SECONDS} seconds (one day, CloudWatch's limit), got "
                             f"{evaluation}")
        return self

    def _check_model_monitor(self) -> None:
        """What SageMaker's CreateMonitoringSchedule accepts (docs/contracts.md "Monitoring")."""
        hours = self.schedule_minutes / 60
        if self.schedule_minutes % 60 or HOURS_A_DAY % hours:
            raise ValueError(f"monitoring.schedule_minutes: with engine '{MODEL_MONITOR}' the schedule is a Model "
                             f"Monitor cron schedule, which runs every 1, 2, 3, 4, 6, 8, 12 or 24 hours; set "
                             f"schedule_minutes to 60, 120, 180, 240, 360, 480, 720 or 1440, got {self.schedule_minutes}")
        if self.window_minutes % 60 or self.window_minutes > HOURS_A_DAY * 60:
            raise ValueError(f"monitoring.window_minutes: with engine '{MODEL_MONITOR}' the analysed window is whole "
                             f"hours before each run, at most {HOURS_A_DAY} (SageMaker's limit); set a multiple of 60 "
                             f"up to 1440, got {self.window_minutes}")
        if self.drift.method != MODEL_MONITOR:
            raise ValueError(f"monitoring.drift.method: with engine '{MODEL_MONITOR}' drift is judged by SageMaker's "
                             f"analyzer with its own distances; set drift.method to '{MODEL_MONITOR}' (or use engine "
                             f"'serverless' for '{self.drift.method}')")

    @property
    def period_seconds(self) -> int:
        """Each check puts one datapoint per schedule, so the alarms look at that period."""
        return self.schedule_minutes * 60

    def check(self, *, problem_type: str, serving_enabled: bool, explicitly_enabled: bool) -> None:
        """Rules that need the rest of the model's config; ValueError names `monitoring.<field>`.
        Monitoring left on by default simply follows serving; asked for explicitly, it needs it."""
        if not serving_enabled:
            if explicitly_enabled and self.enabled:
                raise ValueError("monitoring.enabled: monitoring watches the model's endpoint and needs "
                                 "serving.enabled")
            self.enabled = False
        self.model_quality.check(problem_type)

    def check_endpoint(self, endpoint_name: str) -> None:
        """The schedule names carry the endpoint's: they must fit EventBridge Scheduler's 64, and
        with Model Monitor the data-quality one SageMaker's 63."""
        schedules = monitoring_names(endpoint_name, quality_alarm=False)["schedules"]
        limits = [(name, MAX_SCHEDULE_NAME, "EventBridge Scheduler's") for name in schedules.values()]
        if self.engine == MODEL_MONITOR:
            limits.append((schedules["data_quality"], MAX_MONITORING_SCHEDULE_NAME, "SageMaker's"))
        # The strictest limit decides how long the endpoint name may be.
        fits, name, limit, whose = min((limit - (len(name) - len(endpoint_name)), name, limit, whose)
                                       for name, limit, whose in limits)
        if len(endpoint_name) > fits:
            raise ValueError(f"serving.endpoint_name: the monitoring schedule name '{name}' is longer than {whose} "
                             f"{limit} characters; choose an endpoint name of at most {fits} characters or set "
                             "monitoring.enabled to false")

    def settings_block(self, *, problem_type: str, endpoint_name: str) -> dict[str, Any]:
        """The config with defaults filled in, plus the names the checks and alarms carry."""
        block = self.model_dump()
        block["model_quality"]["metric"] = self.model_quality.resolved_metric(problem_type)
        block["period_seconds"] = self.period_seconds
        quality_alarm = self.model_quality.enabled and self.model_quality.threshold is not None
        block["names"] = monitoring_names(endpoint_name, quality_alarm=quality_alarm) if self.enabled else None
        return _without_none(block)


def _without_none(value: Any) -> Any:
    """CDK's to_json_string drops null values from the SSM document: leave them out here too, so
    the document is the same whichever way it is rendered (readers take absent as none)."""
    if isinstance(value, dict):
        return {key: _without_none(item) for key, item in value.items() if item is not None}
    return value
