"""Alarm history (DescribeAlarmHistory), which moto neither records nor serves.

Items are kept per moto CloudWatch backend (a moto reset clears them with the backend) and
outlive their alarm, as CloudWatch keeps history after a deletion. Shapes follow CloudWatch:
StateUpdate items summarised "Alarm updated from OK to ALARM" with HistoryData
`{"version": "1.0", "oldState": {...}, "newState": {...}}`; ConfigurationUpdate items for
creation and update; Action items for the alarm actions run.
"""

from __future__ import annotations

import json

from moto.cloudwatch.exceptions import CloudWatchException, ValidationError

from mlops.localcloud.cloudwatch.formatting import epoch_of, naive_utc

ITEM_TYPES = ("ConfigurationUpdate", "StateUpdate", "Action", "AlarmContributorStateUpdate", "AlarmContributorAction")
ALARM_TYPES = ("CompositeAlarm", "MetricAlarm", "LogAlarm")
DEFAULT_MAX_RECORDS = 50


class InvalidNextToken(CloudWatchException):
    code = "InvalidNextToken"


def record(backend, *, alarm_name: str, item_type: str, summary: str, data: dict, now: float,
           alarm_type: str = "MetricAlarm") -> None:
    items = backend.__dict__.setdefault("local_alarm_history", [])
    items.append({
        "AlarmName": alarm_name, "AlarmType": alarm_type, "Timestamp": naive_utc(now),
        "HistoryItemType": item_type, "HistorySummary": summary,
        "HistoryData": json.dumps(data, separators=(",", ":")),
    })


def state_snapshot(value: str, reason: str, reason_data: str | None) -> dict:
    """One side of a StateUpdate's HistoryData (reason data as an object, when there is one)."""
    snapshot: dict = {"stateValue": value, "stateReason": reason}
    parsed = _json_object(reason_data)
    if parsed:
        snapshot["stateReasonData"] = parsed
    return snapshot


def describe(backend, *, alarm_name=None, alarm_types=None, item_type=None, start=None, end=None,
             max_records=None, next_token=None, scan_by=None) -> tuple[list[dict], str | None]:
    """DescribeAlarmHistory: the matching items, newest first unless TimestampAscending."""
    _check_enum("historyItemType", item_type, ITEM_TYPES)
    _check_enum("scanBy", scan_by, ("TimestampDescending", "TimestampAscending"))
    for alarm_type in alarm_types or ():
        _check_enum("alarmTypes", alarm_type, ALARM_TYPES)
    wanted_types = set(alarm_types or ["MetricAlarm"])  # AWS: omitted -> metric alarms only
    items = [item for item in list(backend.__dict__.get("local_alarm_history", []))
             if (alarm_name is None or item["AlarmName"] == alarm_name) and item["AlarmType"] in wanted_types
             and (item_type is None or item["HistoryItemType"] == item_type)
             and (start is None or epoch_of(item["Timestamp"]) >= epoch_of(start))
             and (end is None or epoch_of(item["Timestamp"]) <= epoch_of(end))]
    if (scan_by or "TimestampDescending") == "TimestampDescending":  # recorded order breaks ties
        items.reverse()
    items.sort(key=lambda item: item["Timestamp"], reverse=(scan_by or "TimestampDescending") == "TimestampDescending")
    limit = int(max_records or DEFAULT_MAX_RECORDS)
    if not 1 <= limit <= 100:
        raise ValidationError(f"1 validation error detected: Value '{limit}' at 'maxRecords' failed to satisfy "
                              "constraint: Member must have value less than or equal to 100")
    offset = _offset(next_token, len(items))
    page = items[offset:offset + limit]
    return page, (str(offset + limit) if offset + limit < len(items) else None)


def _check_enum(field: str, value, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise ValidationError(f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
                              f"constraint: Member must satisfy enum value set: [{', '.join(allowed)}]")


def _offset(token: str | None, total: int) -> int:
    if not token:
        return 0
    if not token.isdigit() or int(token) > total:
        raise InvalidNextToken("The service returned an invalid next token.")
    return int(token)


def _json_object(text: str | None) -> dict | None:
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
