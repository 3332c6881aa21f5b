"""The gate's decision on one candidate, with both scores and the reason in plain words
(mlops_core.gate holds the metrics and settings).

The decision is written as gate.json next to the evaluation report; the pipeline reads it,
puts `cause` in the ModelRejected failure and `metadata` on the model package.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlops_core.gate import GateSettings, metric, score


@dataclass(frozen=True)
class Champion:
    """The approved version the candidate is compared with, and how it scored on the
    candidate's test data: `report` when it could be scored, else `error` says why not."""

    model_package_arn: str
    version: int | None
    report: Mapping[str, Any] | None = None
    error: str | None = None


def decide(candidate: Mapping[str, Any], champion: Champion | None, settings: GateSettings) -> dict[str, Any]:
    problem_type = candidate["problem_type"]
    chosen = metric(problem_type, settings.metric)
    name = settings.metric
    value = score(candidate, name)
    rival = score(champion.report, name) if champion and champion.report else None
    reasons = []  # clauses completing "its <metric> on the held-out test data is <value>, ..."
    if value is not None and _worse(value, settings.threshold, chosen.higher_is_better, 0.0):
        bound = "minimum" if chosen.higher_is_better else "maximum"
        direction = "below" if chosen.higher_is_better else "above"
        reasons.append(f"{direction} the required {bound} of {_num(settings.threshold)}")
    if value is not None and rival is not None and _worse(value, rival, chosen.higher_is_better, settings.tolerance):
        reasons.append(f"worse than the approved {_version(champion)}'s {_num(rival)} on the same data "
                       f"by more than the allowed {_num(settings.tolerance)}")
    passed = value is not None and not reasons
    return {
        "passed": passed,
        "metric": name,
        "higher_is_better": chosen.higher_is_better,
        "threshold": settings.threshold,
        "tolerance": settings.tolerance,
        "candidate": {"score": value},
        "champion": _champion_record(champion, rival),
        "cause": _cause(reasons, chosen.higher_is_better, value, settings, champion, rival),
        "metadata": _metadata(passed, name, value, settings, champion, rival),
    }


def _worse(value: float, reference: float, higher_is_better: bool, tolerance: float) -> bool:
    return value < reference - tolerance if higher_is_better else value > reference + tolerance


def _cause(reasons, higher_is_better, value, settings, champion, rival) -> str:
    name = settings.metric
    if value is None:
        return (f"The new model was rejected: its {name} is not defined on this test data "
                f"(e.g. AUC needs both classes in the test split); choose another gate metric.")
    if reasons:
        text = (f"The new model was rejected: its {name} on the held-out test data is {_num(value)}, "
                + " and ".join(reasons) + ".")
        if champion and rival is not None and len(reasons) == 1 and "approved" not in reasons[0]:
            text += f" The approved {_version(champion)} scored {_num(rival)} on the same data."
        return text + _champion_note(champion, rival, settings.metric)
    text = f"The new model passed: its {name} on the held-out test data is {_num(value)}"
    text += f" (required: {'at least' if higher_is_better else 'at most'} {_num(settings.threshold)})"
    if champion and rival is not None:
        text += (f", and the approved {_version(champion)} scored {_num(rival)} on the same data "
                 f"(allowed to be worse by {_num(settings.tolerance)})")
    elif not champion:
        text += "; there is no approved version to compare with"
    return text + "." + _champion_note(champion, rival, settings.metric)


def _champion_note(champion: Champion | None, rival: float | None, name: str) -> str:
    if champion and champion.report is None:
        return (f" The approved {_version(champion)} could not be scored on this test data "
                f"({champion.error}), so only the threshold was checked.")
    if champion and rival is None:
        return f" The approved {_version(champion)}'s {name} is not defined on this test data, so only the threshold was checked."
    return ""


def _champion_record(champion: Champion | None, rival: float | None) -> dict[str, Any] | None:
    if champion is None:
        return None
    return {"model_package_arn": champion.model_package_arn, "version": champion.version,
            "score": rival, "error": champion.error}


def _metadata(passed, name, value, settings, champion, rival) -> dict[str, str]:
    """CustomerMetadataProperties values: strings only, each at most 256 characters."""
    if champion is None:
        champion_score = "none"
    else:
        champion_score = _num(rival) if rival is not None else "not comparable"
    return {
        "GateDecision": "Passed" if passed else "Rejected",
        "GateMetric": name,
        "GateThreshold": _num(settings.threshold),
        "GateTolerance": _num(settings.tolerance),
        "CandidateScore": _num(value) if value is not None else "undefined",
        "ChampionScore": champion_score,
        "ChampionModelPackage": champion.model_package_arn[:256] if champion else "none",
    }


def _version(champion: Champion) -> str:
    return f"version {champion.version}" if champion.version is not None else "version"


def _num(value: float | None) -> str:
    if value is None:
        return "undefined"
    return f"{value:.4f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.6g}"
