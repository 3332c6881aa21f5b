"""Every configured model's SSM settings document (docs/contracts.md "Per-model settings"),
for handlers that must map something AWS names (a package group, an endpoint, a monitoring
schedule) back to its model. The SSM client is passed in (boto3's)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def settings_documents(ssm: Any, prefix: str, *, on_invalid: Callable[[str], None] | None = None) -> dict[str, dict]:
    """{model: settings} of every parameter directly under `prefix` (one page holds 10); a
    parameter that is not JSON is skipped, its name passed to `on_invalid`."""
    documents = {}
    pages = ssm.get_paginator("get_parameters_by_path").paginate(Path=prefix.rstrip("/") or "/", Recursive=False)
    for page in pages:
        for parameter in page["Parameters"]:
            try:
                documents[parameter["Name"].rsplit("/", 1)[-1]] = json.loads(parameter["Value"])
            except json.JSONDecodeError:
                if on_invalid:
                    on_invalid(parameter["Name"])
    return documents
