"""The state an alarm's datapoints call for, with CloudWatch's StateReason and StateReasonData.

M out of N: the alarm goes to ALARM when at least DatapointsToAlarm (M, default
EvaluationPeriods N) of the N evaluated datapoints breach, else to OK. Missing datapoints, per
TreatMissingData (documented semantics; AWS/DynamoDB metrics always `ignore`):
- `breaching` / `notBreaching`: each missing datapoint counts as breaching / not breaching;
- `missing`: only present datapoints count; when fewer than M are present, all of them must
  breach (CloudWatch evaluates with the datapoints it has); none present -> INSUFFICIENT_DATA;
- `ignore`: as `missing`, but none present keeps the current state.
With EvaluateLowSampleCountPercentile `ignore`, a percentile from too few samples keeps the state.

Reasons use CloudWatch's wording: the short form ("1 datapoint [3.0 (27/11/26 13:10:00)] was
greater than the threshold (0.0).") when DatapointsToAlarm is not set, the M-of-N form ("1 out
of the last 1 datapoints [...] ... (minimum 1 datapoint for OK -> ALARM transition).") when it
is; datapoints are cited most recent first: the breaching ones for ALARM, the others for OK.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

from mlops.localcloud.cloudwatch.datapoints import Datapoint, Evaluated
from mlops.localcloud.cloudwatch.formatting import java_double, json_time, plural, reason_time

COMPARISONS = {
    "GreaterThanThreshold": (operator.gt, "greater than"),
    "GreaterThanOrEqualToThreshold": (operator.ge, "greater than or equal to"),
    "LessThanThreshold": (operator.lt, "less than"),
    "LessThanOrEqualToThreshold": (operator.le, "less than or equal to"),
}
MISSING_DATA_MODES = ("missing", "ignore", "breaching", "notBreaching")


@dataclass
class Decision:
    state: str | None  # None: the alarm keeps its state
    reason: str = ""
    reason_data: dict | None = None
    explains_itself: bool = False  # the reason must show even if the state does not change


def unsupported(problem: str) -> Decision:
    return Decision("INSUFFICIENT_DATA", f"Insufficient Data: the embedded cloud cannot evaluate this alarm: {problem}.",
                    explains_itself=True)


def decide(alarm, evaluated: Evaluated, *, now: float) -> Decision:
    """The state moto Alarm `alarm` should be in, given what it evaluated at `now`."""
    if alarm.comparison_operator not in COMPARISONS:
        return unsupported(f"ComparisonOperator {alarm.comparison_operator} (anomaly detection) is not supported")
    points = evaluated.datapoints
    data = _reason_data(alarm, evaluated, now)
    if any(p.low_sample for p in points):
        return Decision(None)
    mode = "ignore" if alarm.namespace == "AWS/DynamoDB" else (alarm.treat_missing_data or "missing")
    compare, _ = COMPARISONS[alarm.comparison_operator]
    present = [p for p in points if p.value is not None]
    breaching = [p for p in present if compare(p.value, float(alarm.threshold))]
    missing = len(points) - len(present)
    needed = int(alarm.datapoints_to_alarm or alarm.evaluation_periods)
    if not present and mode in ("missing", "ignore"):
        if mode == "ignore":
            return Decision(None)
        return Decision("INSUFFICIENT_DATA", f"Insufficient Data: {plural(missing, 'datapoint')} "
                                             f"{'was' if missing == 1 else 'were'} unknown.", data)
    if mode == "breaching":
        alarming = len(breaching) + missing >= needed
    elif mode == "notBreaching":
        alarming = len(breaching) >= needed
    else:
        alarming = len(breaching) >= min(needed, len(present))
    if alarming:
        treated = missing if mode == "breaching" else 0
        return Decision("ALARM", _threshold_reason(alarm, breaching, treated, "Breaching", needed, to_alarm=True), data)
    treated = missing if mode == "notBreaching" else 0
    not_breaching = [p for p in present if not compare(p.value, float(alarm.threshold))]
    minimum = len(points) - needed + 1
    return Decision("OK", _threshold_reason(alarm, not_breaching, treated, "NonBreaching", minimum, to_alarm=False), data)


def _threshold_reason(alarm, cited: list[Datapoint], treated: int, treated_as: str, minimum: int,
                      *, to_alarm: bool) -> str:
    periods = int(alarm.evaluation_periods)
    words = ("" if to_alarm else "not ") + COMPARISONS[alarm.comparison_operator][1]
    missing_words = f"{plural(treated, 'missing datapoint')} {'was' if treated == 1 else 'were'} treated as [{treated_as}]"
    if not cited and treated == periods:
        return f"Threshold Crossed: no datapoints were received for {plural(periods, 'period')} and {missing_words}."
    m_of_n = alarm.datapoints_to_alarm is not None
    if not cited:
        text = f"Threshold Crossed: {missing_words}"
    else:
        listed = ", ".join(f"{java_double(p.value)} ({reason_time(p.start)})" for p in cited)
        counted = f"{len(cited)} out of the last {periods} datapoints" if m_of_n else plural(len(cited), "datapoint")
        text = (f"Threshold Crossed: {counted} [{listed}] {'was' if len(cited) == 1 else 'were'} {words} "
                f"the threshold ({java_double(float(alarm.threshold))})")
        if treated:
            text += f" and {missing_words}"
    if m_of_n:
        transition = "OK -> ALARM" if to_alarm else "ALARM -> OK"
        text += f" (minimum {plural(minimum, 'datapoint')} for {transition} transition)"
    return text + "."


def _reason_data(alarm, evaluated: Evaluated, now: float) -> dict:
    """StateReasonData as CloudWatch writes it (version 1.0)."""
    points = evaluated.datapoints
    present = [p for p in points if p.value is not None]
    data: dict = {"version": "1.0", "queryDate": json_time(now)}
    if present:
        data["startDate"] = json_time(points[-1].start)
    if evaluated.statistic:
        data[evaluated.statistic[0]] = evaluated.statistic[1]
    if alarm.unit:
        data["unit"] = alarm.unit
    data["period"] = evaluated.period
    data["recentDatapoints"] = [p.value for p in reversed(present)]
    data["threshold"] = float(alarm.threshold)
    data["evaluatedDatapoints"] = [_evaluated(p) for p in points]
    return data


def _evaluated(point: Datapoint) -> dict:
    item: dict = {"timestamp": json_time(point.start)}
    if point.value is not None:
        if point.sample_count is not None:
            item["sampleCount"] = float(point.sample_count)
        item["value"] = float(point.value)
    return item
