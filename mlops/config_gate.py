"""The `gate` block of a model's config (docs/contracts.md "Evaluation gate").

{"metric": "accuracy", "threshold": 0.5, "tolerance": 0.01}: the candidate's metric on the
held-out test split must reach the threshold (at most it, for error metrics: mae, mse, rmse)
and may be worse than the approved version's on the same data by at most the tolerance
(in the metric's own units). Every key is optional; defaults depend on the problem type
(mlops_core.gate: accuracy >= 0.5 for classifiers, r2 >= 0 for regressors).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mlops_core.gate import GateError, GateSettings, check_settings


class GateConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    metric: str | None = Field(default=None, description="accuracy, precision, recall, f1, auc | r2, mae, mse, rmse")
    threshold: float | None = None
    tolerance: float | None = Field(default=None, ge=0)

    def resolved(self, problem_type: str) -> GateSettings:
        """The settings with defaults filled in; raises ValueError naming the problem."""
        default = GateSettings.default(problem_type)
        metric = self.metric or default.metric
        # A threshold only makes sense in the chosen metric's units: no default across metrics.
        if self.metric and self.metric != default.metric and self.threshold is None:
            raise ValueError(f"gate.threshold is required when gate.metric is '{metric}' "
                             f"(the default threshold belongs to {default.metric})")
        settings = GateSettings(
            metric=metric,
            threshold=default.threshold if self.threshold is None else self.threshold,
            tolerance=default.tolerance if self.tolerance is None else self.tolerance,
        )
        try:
            check_settings(problem_type, settings)
        except GateError as error:
            raise ValueError(f"gate: {error}") from None
        return settings

    def settings_block(self, problem_type: str) -> dict[str, Any]:
        settings = self.resolved(problem_type)
        return {"metric": settings.metric, "threshold": settings.threshold, "tolerance": settings.tolerance}
