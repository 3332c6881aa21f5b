"""Hyperparameter tuning jobs in the embedded cloud: real trials, real optimizers.

`api` extends moto's SageMaker API, `plan` checks a request, `space` and `strategies` propose
values (optuna TPE for Bayesian, optuna random, scikit-learn's ParameterGrid for Grid),
`tuner.TuningScheduler` runs the trials as training jobs and `trials` reports them.
"""

from mlops.localcloud.tuning.api import install
from mlops.localcloud.tuning.tuner import TuningScheduler

__all__ = ["TuningScheduler", "install"]
