"""The shadow test's verdict (CompareShadow, pure part): does the candidate answer like
production, and about as fast?

Production and shadow answers to the same request share a capture `eventId`; agreement is the
share of identical predictions over the paired requests (row by row). Latency is ModelLatency
p50/p99 of each variant over the test window.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from mlops_core.data_capture import CapturedAnswer


@dataclass(frozen=True)
class Latency:
    """ModelLatency percentiles in microseconds (None: no datapoint in the window)."""

    p50: float | None
    p99: float | None


@dataclass(frozen=True)
class ShadowVerdict:
    passed: bool
    cause: str
    pairs: int
    agreement: float | None
    production_latency: Latency
    shadow_latency: Latency
    latency_ratio: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def agreement(production: Iterable[CapturedAnswer], shadow: Iterable[CapturedAnswer]) -> tuple[int, float | None]:
    """(paired requests, share of identical predictions among them)."""
    answers = {answer.event_id: answer for answer in production}
    pairs = same = rows = 0
    for candidate in shadow:
        original = answers.get(candidate.event_id)
        if original is None:
            continue
        pairs += 1
        width = max(len(original.predictions), len(candidate.predictions))
        rows += width
        same += sum(1 for a, b in zip(original.predictions, candidate.predictions) if a == b)
    return pairs, (same / rows if rows else None)


def judge(*, production: Iterable[CapturedAnswer], shadow: Iterable[CapturedAnswer], production_latency: Latency,
          shadow_latency: Latency, thresholds: Mapping[str, Any], variants: tuple[str, str]) -> ShadowVerdict:
    """Fails on fewer than `min_requests` pairs, agreement below `min_agreement`, a p99 ratio
    (shadow / production) above `max_latency_ratio`, or latency that cannot be compared."""
    pairs, share = agreement(production, shadow)
    ratio = (shadow_latency.p99 / production_latency.p99
             if shadow_latency.p99 is not None and production_latency.p99 else None)
    min_requests, min_agreement = int(thresholds["min_requests"]), float(thresholds["min_agreement"])
    max_ratio = float(thresholds["max_latency_ratio"])
    prod_name, shadow_name = variants
    problems = []
    if pairs < min_requests:
        problems.append(f"only {pairs} requests were answered by both variants, fewer than min_requests {min_requests}")
    elif share is not None and share < min_agreement:
        problems.append(f"the candidate agreed with production on {share:.2%} of predictions, below "
                        f"min_agreement {min_agreement:.2%}")
    if ratio is None:
        missing = [name for name, figures in ((prod_name, production_latency), (shadow_name, shadow_latency))
                   if not figures.p99]
        problems.append(f"latency could not be compared: no ModelLatency p99 for variant(s) {', '.join(missing)}")
    elif ratio > max_ratio:
        problems.append(f"its ModelLatency p99 was {ratio:.2f} times production's ({_ms(shadow_latency.p99)} vs "
                        f"{_ms(production_latency.p99)}), above max_latency_ratio {max_ratio}")
    summary = (f"{pairs} paired requests, agreement {'n/a' if share is None else f'{share:.2%}'}, ModelLatency "
               f"p50/p99 production {_ms(production_latency.p50)}/{_ms(production_latency.p99)}, shadow "
               f"{_ms(shadow_latency.p50)}/{_ms(shadow_latency.p99)}")
    if problems:
        cause = f"The shadow test rejected the candidate: {'; '.join(problems)} ({summary})."
    else:
        cause = f"The shadow test passed ({summary})."
    return ShadowVerdict(not problems, cause, pairs, share, production_latency, shadow_latency, ratio)


def _ms(microseconds: float | None) -> str:
    return "n/a" if microseconds is None else f"{microseconds / 1000:.1f} ms"
