"""The Processing job of a large window reads only folders that hold captures: SageMaker fails
a job whose S3Prefix input matches no object."""

from __future__ import annotations

from datetime import datetime, timezone

from mlops_core.monitoring.processing_job import capture_prefixes
from mlops_core.monitoring.request import Window

WINDOW = Window(datetime(2026, 11, 27, 13, 50, tzinfo=timezone.utc), datetime(2026, 11, 27, 14, 50, tzinfo=timezone.utc))
BASE = "data-capture/ep/AllTraffic"


def test_an_hour_of_the_window_without_captures_is_left_out():
    keys = [f"{BASE}/2026/11/27/14/10-00-000-a.jsonl"]
    assert capture_prefixes("b", "ep", "AllTraffic", WINDOW, keys) == [f"s3://b/{BASE}/2026/11/27/14/"]


def test_every_hour_holding_captures_is_read():
    keys = [f"{BASE}/2026/11/27/13/55-00-000-a.jsonl", f"{BASE}/2026/11/27/14/10-00-000-b.jsonl"]
    assert capture_prefixes("b", "ep", "AllTraffic", WINDOW, keys) == [
        f"s3://b/{BASE}/2026/11/27/13/", f"s3://b/{BASE}/2026/11/27/14/"]


def test_captures_of_another_variant_do_not_count():
    keys = ["data-capture/ep/Shadow/2026/11/27/13/55-00-000-a.jsonl", f"{BASE}/2026/11/27/14/10-00-000-b.jsonl"]
    assert capture_prefixes("b", "ep", "AllTraffic", WINDOW, keys) == [f"s3://b/{BASE}/2026/11/27/14/"]
