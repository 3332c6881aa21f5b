"""What StartPipeline does with a monitoring alarm: CloudWatch's `CloudWatch Alarm State Change`
event (EventBridge) for a drift or model-quality alarm in ALARM -> a retraining request of the
alarm's model, or an ignored event with the reason.

The episode is `<alarm ARN>|<detail.state.timestamp>`: one state change names one retraining
run however often EventBridge delivers it (mlops_core.retraining). A cooldown keeps a flapping
alarm from retraining a model over and over: the last alarm-started retraining of each model
is recorded under models/<model>/retraining/ in the artifacts bucket and claimed with a
conditional write, so two concurrent deliveries of two episodes cannot both pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mlops_core.naming import MONITORING_CHECKS, monitoring_schedule_name

SOURCE = "aws.cloudwatch"
DETAIL_TYPE = "CloudWatch Alarm State Change"
ALARM = "ALARM"
# A lost conditional write means another delivery wrote the record meanwhile: read it again,
# a few times at most (each loss is another delivery that got there first).
_CLAIM_ATTEMPTS = 3


def drift_alarm_name(endpoint: str) -> str:
    return f"{endpoint}-drift"


def model_quality_alarm_name(endpoint: str) -> str:
    return f"{endpoint}-model-quality"


def monitoring_names(endpoint: str, *, quality_alarm: bool) -> dict[str, Any]:
    """The `names` of a model's settings `monitoring` block: its two schedules (the
    MonitoringSchedule metric dimension) and its alarms (model_quality None without a threshold)."""
    return {
        "schedules": {check.replace("-", "_"): monitoring_schedule_name(endpoint, check) for check in MONITORING_CHECKS},
        "alarms": {"drift": drift_alarm_name(endpoint),
                   "model_quality": model_quality_alarm_name(endpoint) if quality_alarm else None},
    }


def cooldown_record_key(model: str) -> str:
    """Key (artifacts bucket) of the record of the model's last retraining started by an alarm."""
    return f"models/{model}/retraining/last-alarm-retraining.json"


def is_alarm_event(event: Mapping[str, Any]) -> bool:
    return event.get("source") == SOURCE and event.get("detail-type") == DETAIL_TYPE


@dataclass(frozen=True)
class AlarmStateChange:
    alarm_name: str
    alarm_arn: str
    state: str
    timestamp: str
    reason: str

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> AlarmStateChange:
        """Parse CloudWatch's event; ValueError names what is missing (the event is then retried
        and dead-lettered: CloudWatch never sends one without these fields)."""
        detail = event.get("detail")
        state = detail.get("state") if isinstance(detail, Mapping) else None
        resources = event.get("resources")
        if not isinstance(state, Mapping) or not isinstance(detail.get("alarmName"), str):
            raise ValueError("an alarm state change needs detail.alarmName and a detail.state object")
        if not isinstance(resources, list) or not resources or not str(resources[0]).startswith("arn:"):
            raise ValueError("an alarm state change needs the alarm's ARN in resources[0]")
        for field in ("value", "timestamp"):
            if not isinstance(state.get(field), str) or not state[field]:
                raise ValueError(f"an alarm state change needs text in detail.state.{field}")
        _moment(state["timestamp"])  # a timestamp that does not parse is named now, not later
        return cls(alarm_name=detail["alarmName"], alarm_arn=str(resources[0]), state=state["value"],
                   timestamp=state["timestamp"], reason=str(state.get("reason") or ""))

    @property
    def episode(self) -> str:
        return f"{self.alarm_arn}|{self.timestamp}"

    @property
    def account_and_region(self) -> tuple[str, str]:
        parts = self.alarm_arn.split(":")
        return (parts[4], parts[3]) if len(parts) > 5 else ("", "")


@dataclass(frozen=True)
class AlarmTarget:
    model: str
    kind: str  # "drift" | "model_quality"
    cooldown_minutes: int


def screen_alarm(change: AlarmStateChange, *, account: str, region: str,
                 settings: Iterable[Mapping[str, Any]]) -> AlarmTarget | str:
    """The model and alarm kind this change retrains, or the reason it retrains nothing."""
    if change.account_and_region != (account, region):
        return (f"alarm {change.alarm_arn} belongs to another account or region than this stack's "
                f"({account}, {region})")
    if change.state != ALARM:
        return f"alarm {change.alarm_name} changed to {change.state}, not {ALARM}: nothing to retrain"
    for document in settings:
        monitoring = document.get("monitoring") or {}
        alarms = (monitoring.get("names") or {}).get("alarms") or {}
        for kind, name in alarms.items():
            if name != change.alarm_name:
                continue
            retraining = monitoring.get("retraining") or {}
            if not retraining.get("on_alarm", False):
                return (f"alarm {change.alarm_name} of model '{document['model']}' is in {ALARM}, but "
                        "monitoring.retraining.on_alarm is off for it")
            return AlarmTarget(model=document["model"], kind=kind,
                               cooldown_minutes=int(retraining.get("cooldown_minutes", 0)))
    return f"alarm {change.alarm_name} is not a drift or model-quality alarm of a model of this stack"


def retraining_reason(change: AlarmStateChange, target: AlarmTarget) -> str:
    what = "drift" if target.kind == "drift" else "model quality"
    return f"{what} alarm {change.alarm_name} in {ALARM} since {change.timestamp}: {change.reason}".rstrip(": ")


ReadRecord = Callable[[], "tuple[dict[str, Any], str] | None"]  # (record, ETag) or None
WriteRecord = Callable[[dict, "str | None"], bool]  # (record, ETag to replace or None: create) -> won?


def claim_cooldown(change: AlarmStateChange, target: AlarmTarget, *, execution_name: str, recorded_at: str,
                   read_record: ReadRecord, write_record: WriteRecord) -> str | None:
    """Record this episode as the model's last alarm retraining, unless another episode started
    one less than cooldown_minutes before this one: then return why nothing starts. The same
    episode again passes (its run's name makes the start a duplicate)."""
    if target.cooldown_minutes == 0:
        return None
    record = {"model": target.model, "episode": change.episode, "alarm_name": change.alarm_name,
              "alarm_time": change.timestamp, "execution_name": execution_name, "recorded_at": recorded_at}
    for _ in range(_CLAIM_ATTEMPTS):
        found = read_record()
        previous, etag = found if found else (None, None)
        if previous is not None:
            if previous.get("episode") == change.episode:
                return None
            problem = _cooling(previous, change, target)
            if problem:
                return problem
        if write_record(record, etag):
            return None
    return f"model '{target.model}': the retraining record kept changing under concurrent alarm deliveries"


def _cooling(previous: Mapping[str, Any], change: AlarmStateChange, target: AlarmTarget) -> str | None:
    try:
        gap = abs(_moment(change.timestamp) - _moment(str(previous.get("alarm_time"))))
    except ValueError:
        return None  # an unreadable record cannot hold anything back; it is overwritten
    if gap >= timedelta(minutes=target.cooldown_minutes):
        return None
    return (f"model '{target.model}' was retrained for alarm {previous.get('alarm_name')} at "
            f"{previous.get('alarm_time')} (run {previous.get('execution_name')}), less than the cooldown of "
            f"{target.cooldown_minutes} minutes before this alarm at {change.timestamp}")


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 time: {text!r}") from None
