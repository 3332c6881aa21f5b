"""moto 5.2.5's CloudWatch alarm API, made to behave as CloudWatch's (pinned: touches internals).

- PutMetricAlarm checks what CloudWatch checks (periods of 10, 30 or a multiple of 60 seconds,
  DatapointsToAlarm <= EvaluationPeriods, the enums, pNN statistics); a new alarm starts in
  INSUFFICIENT_DATA ("Unchecked: Initial alarm creation"), an updated one keeps its state
  (moto would reset both to OK); both leave a ConfigurationUpdate history item.
- SetAlarmState records history, sends the state change event and runs the actions, as any
  state change does; the evaluator may move the alarm back at its next evaluation.
- DescribeAlarmHistory is added (moto has none).
- GetMetricStatistics matches dimension sets exactly (`statistics_query`).
"""

from __future__ import annotations

import inspect
import json
from types import SimpleNamespace

from moto.cloudwatch.exceptions import InvalidParameterCombination, InvalidParameterValue, ValidationError
from moto.cloudwatch.models import CloudWatchBackend
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult

from mlops.localcloud.cloudwatch import history, statistics_query
from mlops.localcloud.cloudwatch.decision import COMPARISONS, MISSING_DATA_MODES
from mlops.localcloud.cloudwatch.formatting import naive_utc
from mlops.localcloud.cloudwatch.statistics import STATISTICS, valid_extended_statistic
from mlops.localcloud.cloudwatch.transitions import announce, current_state

_active = SimpleNamespace(evaluator=None)
_original: dict = {}
_ANOMALY_OPERATORS = ("LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold")
_KEPT_STATE = ("state_value", "state_reason", "state_reason_data", "state_updated_timestamp",
               "state_transitioned_timestamp")


def install(evaluator) -> None:
    """Point the patches at `evaluator` (None: moto's own behaviour); patch moto once."""
    _active.evaluator = evaluator
    statistics_query.install()
    if _original:
        return
    _original["put"] = CloudWatchBackend.put_metric_alarm
    _original["set"] = CloudWatchBackend.set_alarm_state
    CloudWatchBackend.put_metric_alarm = _put_metric_alarm
    CloudWatchBackend.set_alarm_state = _set_alarm_state
    CloudWatchResponse.describe_alarm_history = _describe_alarm_history_response


def _put_metric_alarm(self, *args, **kwargs):
    evaluator = _active.evaluator
    if evaluator is None:
        return _original["put"](self, *args, **kwargs)
    request = inspect.signature(_original["put"]).bind(self, *args, **kwargs).arguments
    if request.get("rule") is None:
        check_metric_alarm(request)
    with evaluator.lock:
        previous = self.alarms.get(request["name"])
        alarm = _original["put"](self, *args, **kwargs)
        now = evaluator.clock()
        if previous is not None:  # "its state is left unchanged" (PutMetricAlarm docs)
            for name in _KEPT_STATE:
                setattr(alarm, name, getattr(previous, name, None))
        else:
            alarm.state_value, alarm.state_reason = "INSUFFICIENT_DATA", "Unchecked: Initial alarm creation"
            alarm.state_reason_data = None
            alarm.state_updated_timestamp = alarm.state_transitioned_timestamp = naive_utc(now)
        kind = "Update" if previous is not None else "Create"
        history.record(self, alarm_name=alarm.name, item_type="ConfigurationUpdate", now=now,
                       alarm_type="CompositeAlarm" if alarm.rule is not None else "MetricAlarm",
                       summary=f'Alarm "{alarm.name}" {kind.lower()}d',
                       data={"type": kind, "version": "1.0", f"{kind.lower()}dAlarm": _configuration(alarm)})
    return alarm


def _set_alarm_state(self, alarm_name, reason, reason_data, state_value):
    evaluator = _active.evaluator
    alarm = self.alarms.get(alarm_name)
    if evaluator is None or alarm is None:  # moto answers ResourceNotFound for an unknown alarm
        return _original["set"](self, alarm_name, reason, reason_data, state_value)
    with evaluator.lock:
        previous = current_state(alarm)
        _original["set"](self, alarm_name, reason, reason_data, state_value)
        now = evaluator.clock()
        alarm.state_updated_timestamp = naive_utc(now)
        notify = announce(self, alarm, previous=previous, now=now, deliver=evaluator.deliver)
    if notify is not None:
        notify()


def _describe_alarm_history_response(self) -> ActionResult:
    items, next_token = history.describe(
        self.cloudwatch_backend, alarm_name=self._get_param("AlarmName"), alarm_types=self._get_param("AlarmTypes"),
        item_type=self._get_param("HistoryItemType"), start=self._get_param("StartDate"),
        end=self._get_param("EndDate"), max_records=self._get_param("MaxRecords"),
        next_token=self._get_param("NextToken"), scan_by=self._get_param("ScanBy"))
    result: dict = {"AlarmHistoryItems": items}
    if next_token:
        result["NextToken"] = next_token
    return ActionResult(result)


def check_metric_alarm(request: dict) -> None:
    """CloudWatch's checks of a PutMetricAlarm request that moto does not make."""
    _check_enum("comparisonOperator", request.get("comparison_operator"), (*COMPARISONS, *_ANOMALY_OPERATORS))
    _check_enum("treatMissingData", request.get("treat_missing_data"), MISSING_DATA_MODES)
    queries = request.get("metric_data_queries") or []
    if queries and (request.get("metric_name") or request.get("statistic") or request.get("extended_statistic")):
        raise InvalidParameterCombination("Metrics and MetricName/Statistic/ExtendedStatistic are mutually "
                                          "exclusive: use one or the other.")
    if not queries:
        _check_statistic(request.get("statistic"), request.get("extended_statistic"))
        _check_period(request.get("period"))
    for query in queries:
        if query.metric_stat is not None:
            _check_period(query.metric_stat.period)
    periods, to_alarm = int(request.get("evaluation_periods") or 0), request.get("datapoints_to_alarm")
    if periods < 1:
        raise ValidationError("EvaluationPeriods must be at least 1.")
    if to_alarm is not None and not 1 <= int(to_alarm) <= periods:
        raise ValidationError(f"DatapointsToAlarm must be between 1 and EvaluationPeriods ({periods}); got {to_alarm}.")


def _check_statistic(statistic, extended) -> None:
    if statistic and extended:
        raise InvalidParameterCombination("Statistic and ExtendedStatistic are mutually exclusive: give one.")
    if not statistic and not extended:
        raise ValidationError("A metric alarm needs Statistic or ExtendedStatistic (or Metrics).")
    _check_enum("statistic", statistic, STATISTICS)
    if extended and not valid_extended_statistic(extended):
        raise InvalidParameterValue(f"The value {extended} for parameter ExtendedStatistic is not supported.")


def _check_period(period) -> None:
    if period is None:
        raise ValidationError("A metric alarm needs a Period.")
    if int(period) not in (10, 30) and (int(period) <= 0 or int(period) % 60):
        raise ValidationError(f"The parameter Period must be 10, 30 or a multiple of 60; got {period}.")


def _check_enum(field: str, value, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise ValidationError(f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
                              f"constraint: Member must satisfy enum value set: [{', '.join(allowed)}]")


def _configuration(alarm) -> dict:
    """The alarm's configuration as CloudWatch writes it in ConfigurationUpdate history."""
    config = {"alarmName": alarm.name, "alarmArn": alarm.alarm_arn, "actionsEnabled": alarm.actions_enabled,
              "alarmActions": list(alarm.alarm_actions or []), "okActions": list(alarm.ok_actions),
              "insufficientDataActions": list(alarm.insufficient_data_actions)}
    if alarm.rule is not None:  # a composite alarm: its rule is its configuration
        config["alarmRule"] = alarm.rule
    else:
        config["treatMissingData"] = alarm.treat_missing_data or "missing"
    optional = {"evaluationPeriods": alarm.evaluation_periods, "comparisonOperator": alarm.comparison_operator,
                "alarmDescription": alarm.description, "metricName": alarm.metric_name,
                "namespace": alarm.namespace, "statistic": alarm.statistic,
                "extendedStatistic": alarm.extended_statistic, "period": alarm.period, "unit": alarm.unit,
                "datapointsToAlarm": alarm.datapoints_to_alarm, "threshold": alarm.threshold,
                "thresholdMetricId": alarm.threshold_metric_id}
    config.update({k: v for k, v in optional.items() if v is not None})
    if alarm.dimensions:
        config["dimensions"] = [{"name": d.name, "value": d.value} for d in alarm.dimensions]
    return json.loads(json.dumps(config, default=str))
