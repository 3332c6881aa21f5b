"""Weighted routing, and no request lost while routes change and fleets close."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

from mlops.localcloud.serving import Routes
from tests.localcloud.serving.conftest import runtime_client
from tests.localcloud.serving.support import PENGUIN_ROW


def _invoke(runtime, endpoint: str, **extra) -> str:
    answer = runtime.invoke_endpoint(EndpointName=endpoint, Body=PENGUIN_ROW, ContentType="text/csv", **extra)
    assert answer["Body"].read()
    return answer["InvokedProductionVariant"]


def test_requests_split_by_weight(cloud, models, start, runtime):
    blue = start(models.linear, endpoint="split", variant="Blue")
    green = start(models.linear, endpoint="split", variant="Green")
    cloud.router.set_routes("split", Routes(((blue, 3.0), (green, 1.0))))
    with ThreadPoolExecutor(4) as pool:
        seen = Counter(pool.map(lambda _: _invoke(runtime, "split"), range(240)))
    # Binomial(240, 0.75): 4 standard deviations (0.028 each) either side.
    assert set(seen) == {"Blue", "Green"}
    assert 0.64 <= seen["Blue"] / 240 <= 0.86, seen


def test_no_request_is_lost_while_routes_shift_and_the_old_fleet_closes(cloud, models, start):
    blue = start(models.linear, endpoint="shift", config="shift-blue")
    green = start(models.linear, endpoint="shift", config="shift-green")
    cloud.router.set_routes("shift", Routes(((blue, 1.0),)))
    answered, errors, stop = Counter(), [], threading.Event()

    def caller() -> None:
        client = runtime_client(cloud)
        while not stop.is_set():
            try:
                answered[_invoke(client, "shift")] += 1
            except Exception as exc:  # every request must be answered by a fleet
                errors.append(exc)

    threads = [threading.Thread(target=caller) for _ in range(4)]
    for thread in threads:
        thread.start()
    for share in (0.1, 0.5, 1.0):
        time.sleep(0.4)
        cloud.router.set_routes("shift", Routes(((blue, 1.0 - share), (green, share))))
    cloud.router.set_routes("shift", Routes(((green, 1.0),)))
    blue.close()  # what is in flight on blue finishes first
    time.sleep(0.4)
    stop.set()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    assert answered["AllTraffic"] > 20


def test_closing_a_fleet_finishes_the_request_in_flight(cloud, models, start, runtime):
    old = start(models.forest, endpoint="drain", variant="Old")
    new = start(models.linear, endpoint="drain", variant="New")
    cloud.router.set_routes("drain", Routes(((old, 1.0),)))
    cloud.faults.inject(models.forest, error_rate=0.0, latency_ms=800)
    try:
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(_invoke, runtime, "drain")
            time.sleep(0.3)  # the request is in the container now
            cloud.router.set_routes("drain", Routes(((new, 1.0),)))
            closing = time.monotonic()
            old.close()
            close_took = time.monotonic() - closing
            assert pending.result(timeout=10) == "Old"
    finally:
        cloud.faults.clear(models.forest)
    assert close_took >= 0.3  # close waited for the request instead of cutting it off
    assert not old.accepting
    assert _invoke(runtime, "drain") == "New"


def test_zero_weights_serve_only_a_target_variant(cloud, models, start, runtime):
    fleet = start(models.linear, endpoint="zero", variant="Only")
    cloud.router.set_routes("zero", Routes(((fleet, 0.0),)))
    with pytest.raises(ClientError) as raised:
        _invoke(runtime, "zero")
    assert raised.value.response["Error"]["Code"] == "ServiceUnavailable"
    assert _invoke(runtime, "zero", TargetVariant="Only") == "Only"


def test_routes_reject_negative_weights_and_fractions_above_one():
    fleet = object()  # Routes checks numbers only
    with pytest.raises(ValueError, match="must be a number >= 0"):
        Routes(((fleet, -1.0),))
    with pytest.raises(ValueError, match="must be from 0 to 1"):
        Routes(((fleet, 1.0),), shadows=((fleet, 1.5),))
