"""Filtering, sorting and paging of List* answers, with SageMaker's defaults and errors.

The List* calls of Model Monitor share one pattern: equality and time-range filters, SortBy
(each call its own keys, default CreationTime), SortOrder (default Descending), MaxResults
1-100 (default 10) and an opaque NextToken.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from moto.sagemaker.exceptions import ValidationError

SORT_ORDERS = ("Ascending", "Descending")
DEFAULT_MAX_RESULTS = 10


def check_enum(member: str, value, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise ValidationError(f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy "
                              f"constraint: Member must satisfy enum value set: [{', '.join(allowed)}]")


def in_time_range(value: datetime, after, before) -> bool:
    """`after` < value < `before`, each bound optional (epoch seconds or datetime, as boto3 sends)."""
    value = _moment(value)
    return (after is None or value > _moment(after)) and (before is None or value < _moment(before))


def page(items: list[dict], *, params: dict, sort_keys: dict[str, Callable[[dict], object]]) -> tuple[list[dict], str | None]:
    sort_by, sort_order = params.get("SortBy") or "CreationTime", params.get("SortOrder") or "Descending"
    check_enum("sortBy", sort_by, tuple(sort_keys))
    check_enum("sortOrder", sort_order, SORT_ORDERS)
    limit = params.get("MaxResults") or DEFAULT_MAX_RESULTS
    if not 1 <= int(limit) <= 100:
        raise ValidationError(f"1 validation error detected: Value '{limit}' at 'maxResults' failed to satisfy "
                              f"constraint: Member must have value less than or equal to 100")
    ordered = sorted(items, key=sort_keys[sort_by], reverse=sort_order == "Descending")
    start = _offset(params.get("NextToken"), len(ordered))
    end = start + int(limit)
    return ordered[start:end], (str(end) if end < len(ordered) else None)


def _offset(token, total: int) -> int:
    if not token:
        return 0
    try:
        start = int(token)
    except ValueError:
        start = -1
    if not 0 <= start <= total:
        raise ValidationError(f"Invalid pagination token {token!r}.")
    return start


def _moment(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromtimestamp(float(value), UTC)
