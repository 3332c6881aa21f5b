"""Values listed inside a message: enough to recognise them, short enough to read."""

from __future__ import annotations

MAX_LISTED = 10


def listed(values: list, *, quote: bool = True, limit: int = MAX_LISTED) -> str:
    """``'a', 'b' and 3 more``: strings quoted (unless ``quote`` is False), others as they print."""
    shown = ", ".join(repr(v) if quote and isinstance(v, str) else str(v) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")
