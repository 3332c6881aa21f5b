"""Which columns a captured request holds, learnt from the baseline statistics.json.

The baseline lists the training data's feature columns in file order (Model Monitor's
`features[].name`). Baselines written by this project leave the target out; a user's contract
may list it. The target is dropped for drift (requests never carry it) and used for nothing
else than recognising a header cell and the training file's column layout, which inference.py
also accepts (rows in the training file's order, target included).
"""

from __future__ import annotations

from dataclasses import dataclass

from mlops_core.monitoring.errors import MonitoringError


@dataclass(frozen=True)
class FeatureLayout:
    features: tuple[str, ...]  # the monitored columns, in the baseline's order
    target: str | None
    file_columns: tuple[str, ...] | None  # the training file's order when the baseline shows it (target included)

    @property
    def known_names(self) -> frozenset[str]:
        return frozenset(self.features) | ({self.target} if self.target else frozenset())


def layout_from_baseline(statistics: dict, *, target: str | None) -> FeatureLayout:
    try:
        names = tuple(str(feature["name"]) for feature in statistics["features"])
    except (KeyError, TypeError):
        raise MonitoringError("the baseline statistics.json has no features[].name list (Model Monitor's format)") from None
    features = tuple(name for name in names if name != target)
    if not features:
        raise MonitoringError("the baseline statistics.json lists no feature other than the target: nothing to monitor")
    return FeatureLayout(features, target, names if len(names) > len(features) else None)


def without_target(document: dict, target: str | None) -> dict:
    """A statistics.json or constraints.json without the target's entry."""
    return {**document, "features": [f for f in document.get("features", []) if f.get("name") != target]}
