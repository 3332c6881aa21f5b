"""The `validation` block of a model's config (docs/contracts.md "Data contracts").

Defaults come from `mlops_core.validation_settings.ValidationSettings`, the one definition the
Lambda and the validation job read too; this model adds the bounds a config file must respect.
`settings_block()` is what goes into the model's SSM settings document.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mlops_core.validation_settings import ValidationSettings

_D = ValidationSettings()
# A field must fit in a Lambda's memory many times over; 64 MiB is already absurd for a cell.
MAX_FIELD_BYTES_LIMIT = 64 * 1024 * 1024


class ValidationConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_rows: int = Field(default=_D.min_rows, ge=1)
    min_rows_per_class: int = Field(default=_D.min_rows_per_class, ge=1)
    min_target_completeness: float = Field(default=_D.min_target_completeness, ge=0.0, le=1.0)
    max_duplicate_share: float = Field(default=_D.max_duplicate_share, ge=0.0, le=1.0)
    max_field_bytes: int = Field(default=_D.max_field_bytes, ge=16, le=MAX_FIELD_BYTES_LIMIT)
    drift_threshold: float = Field(default=_D.drift_threshold, gt=0.0, le=1.0)
    completeness_tolerance: float = Field(default=_D.completeness_tolerance, ge=0.0, le=1.0)
    reject_drift: bool = _D.reject_drift
    max_unseen_category_share: float = Field(default=_D.max_unseen_category_share, ge=0.0, le=1.0)
    # 0 sends every object to the Processing job (useful to test that path).
    processing_above_bytes: int = Field(default=_D.processing_above_bytes, ge=0)
    max_object_bytes: int = Field(default=_D.max_object_bytes, ge=1)

    def settings_block(self) -> dict[str, Any]:
        return self.model_dump()
