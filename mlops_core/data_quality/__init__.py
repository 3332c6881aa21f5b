"""One data-quality core for validation, baselines and drift, in Model Monitor's file formats.

Pure (standard library, numpy, pandas): shipped inside Lambda assets and SageMaker job archives.
See docs/data-quality.md for the formats, the distance and the memory bound.
"""

from mlops_core.data_quality.accumulator import DataQualityError, StatisticsAccumulator
from mlops_core.data_quality.checks import check_constraints, feature_distances
from mlops_core.data_quality.constraints import suggest_constraints
from mlops_core.data_quality.distance import feature_distance
from mlops_core.data_quality.statistics import compute_statistics, profile_csv

__all__ = [
    "DataQualityError",
    "StatisticsAccumulator",
    "check_constraints",
    "compute_statistics",
    "feature_distance",
    "feature_distances",
    "profile_csv",
    "suggest_constraints",
]
