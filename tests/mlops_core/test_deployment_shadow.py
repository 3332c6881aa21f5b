"""The shadow test: capture lines read back, answers paired by eventId, the verdict's numbers."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

import pytest

from mlops_core.data_capture import CapturedAnswer, hour_prefixes, parse_line, parse_time, predictions
from mlops_core.shadow_comparison import Latency, agreement, judge

THRESHOLDS = {"min_requests": 3, "min_agreement": 0.75, "max_latency_ratio": 2.0}
FAST, SLOW = Latency(1000.0, 2000.0), Latency(3000.0, 5000.0)


def _line(event_id: str, data: str, *, encoding: str = "JSON", content_type: str = "application/json",
          when: str = "2026-11-27T10:00:00Z") -> str:
    return json.dumps({
        "captureData": {
            "endpointInput": {"observedContentType": "text/csv", "mode": "INPUT", "data": "1,2", "encoding": "CSV"},
            "endpointOutput": {"observedContentType": content_type, "mode": "OUTPUT", "data": data,
                               "encoding": encoding}},
        "eventMetadata": {"eventId": event_id, "inferenceTime": when}, "eventVersion": "0"})


def _answers(*labels: str, prefix: str = "e") -> list[CapturedAnswer]:
    when = datetime(2026, 11, 27, 10, tzinfo=timezone.utc)
    return [CapturedAnswer(f"{prefix}{i}", when, (label,)) for i, label in enumerate(labels)]


def test_a_json_answer_yields_its_predictions():
    answer = parse_line(_line("e1", json.dumps({"predictions": ["Adelie", "Gentoo"], "probabilities": [{}, {}]})))
    assert (answer.event_id, answer.predictions) == ("e1", ("Adelie", "Gentoo"))
    assert answer.inference_time == datetime(2026, 11, 27, 10, tzinfo=timezone.utc)


def test_a_csv_answer_yields_the_first_field_of_each_row():
    assert predictions({"data": "Adelie\nGentoo\n", "encoding": "CSV", "observedContentType": "text/csv"}) == (
        "Adelie", "Gentoo")


def test_a_base64_answer_is_decoded_first():
    data = base64.b64encode(b"12.5\n").decode()
    assert predictions({"data": data, "encoding": "BASE64", "observedContentType": "text/csv"}) == ("12.5",)


def test_a_line_without_event_metadata_is_refused_naming_it():
    with pytest.raises(ValueError, match="lacks 'eventMetadata'"):
        parse_line(json.dumps({"captureData": {"endpointOutput": {}}}))


@pytest.mark.parametrize("text", ["2026-11-27T10:00:00Z", "2026-11-27T10:00:00.000Z", "2026-11-27T10:00:00+00:00",
                                  "2026-11-27T11:00:00.000000+01:00"])
def test_aws_and_moto_timestamps_parse_to_the_same_instant(text):
    assert parse_time(text) == datetime(2026, 11, 27, 10, tzinfo=timezone.utc)


def test_the_window_maps_to_hourly_capture_prefixes():
    start, end = parse_time("2026-11-27T09:55:00Z"), parse_time("2026-11-27T11:05:00Z")
    assert hour_prefixes("ep", "AllTraffic", start, end) == [
        "data-capture/ep/AllTraffic/2026/11/27/09/", "data-capture/ep/AllTraffic/2026/11/27/10/",
        "data-capture/ep/AllTraffic/2026/11/27/11/"]


def test_answers_pair_by_event_id_and_agreement_counts_predictions():
    production = _answers("a", "b", "c", "d")
    shadow = _answers("a", "b", "x") + _answers("z", prefix="unpaired")
    assert agreement(production, shadow) == (3, 2 / 3)


def test_a_candidate_that_answers_alike_and_fast_enough_passes():
    verdict = judge(production=_answers("a", "b", "c"), shadow=_answers("a", "b", "c"), production_latency=FAST,
                    shadow_latency=Latency(1500.0, 3000.0), thresholds=THRESHOLDS, variants=("P", "S"))
    assert verdict.passed and verdict.pairs == 3 and verdict.agreement == 1.0 and verdict.latency_ratio == 1.5
    assert verdict.cause.startswith("The shadow test passed (3 paired requests, agreement 100.00%")


def test_too_few_paired_requests_fail_naming_the_numbers():
    verdict = judge(production=_answers("a", "b"), shadow=_answers("a", "b"), production_latency=FAST,
                    shadow_latency=FAST, thresholds=THRESHOLDS, variants=("P", "S"))
    assert not verdict.passed
    assert "only 2 requests were answered by both variants, fewer than min_requests 3" in verdict.cause


def test_disagreement_fails_naming_the_share():
    verdict = judge(production=_answers("a", "b", "c", "d"), shadow=_answers("a", "x", "y", "d"),
                    production_latency=FAST, shadow_latency=FAST, thresholds=THRESHOLDS, variants=("P", "S"))
    assert not verdict.passed
    assert "agreed with production on 50.00% of predictions, below min_agreement 75.00%" in verdict.cause


def test_a_slow_candidate_fails_naming_the_latencies():
    verdict = judge(production=_answers("a", "b", "c"), shadow=_answers("a", "b", "c"), production_latency=FAST,
                    shadow_latency=SLOW, thresholds=THRESHOLDS, variants=("P", "S"))
    assert not verdict.passed
    assert "p99 was 2.50 times production's (5.0 ms vs 2.0 ms), above max_latency_ratio 2.0" in verdict.cause


def test_latency_that_cannot_be_compared_fails_naming_the_variant():
    verdict = judge(production=_answers("a", "b", "c"), shadow=_answers("a", "b", "c"), production_latency=FAST,
                    shadow_latency=Latency(None, None), thresholds=THRESHOLDS, variants=("P", "S"))
    assert not verdict.passed and "no ModelLatency p99 for variant(s) S" in verdict.cause
