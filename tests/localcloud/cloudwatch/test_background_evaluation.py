"""The evaluator's own thread: on the real clock, a 10-second alarm fires from datapoints put
now, within two periods, with no evaluate_now()."""

from __future__ import annotations

import time

from tests.localcloud.cloudwatch.alarm_support import alarm, put, state


def test_a_ten_second_alarm_fires_on_its_own(cloud, cw, name):
    alarm(cw, name)
    put(cw, name, when=time.time(), value=4.0)
    deadline = time.time() + 20  # two 10-second periods
    while state(cw, name)["StateValue"] != "ALARM" and time.time() < deadline:
        time.sleep(0.25)
    described = state(cw, name)
    assert described["StateValue"] == "ALARM"
    assert "1 datapoint [4.0 (" in described["StateReason"]
