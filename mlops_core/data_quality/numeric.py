"""Running numeric statistics of one column: exact moments plus a KLL sketch of the values.

Counts, sum, min and max merge exactly. The mean is sum / count. The standard deviation is the
population one (divide by n), as Deequ's ``StandardDeviation`` computes it for Model Monitor;
chunks merge with Chan et al.'s parallel formula (the same one Deequ's state uses), so a
streamed result equals the one-shot result up to floating-point rounding (relative 1e-12).

Intake into the sketch (bounded time as well as bounded memory): while a column has fewer than
``2 * INTAKE_SAMPLE`` values, every value enters the sketch. After that each batch is
stratified-sampled before it enters: the batch is cut into consecutive blocks of ``2**s``
values and one value at a random position of each block enters at KLL level ``s`` (weight
``2**s``), with ``s`` chosen so that the values so far would give about ``INTAKE_SAMPLE``
samples. That is the KLL paper's own "sampler" below the compactors, used earlier than the
paper does to keep sorting cost at O(INTAKE_SAMPLE log) per batch instead of O(n log n): the
sampled ranks have a standard error of at most 1 / (2 sqrt(INTAKE_SAMPLE)) = 0.28% of n, which
together with the compactors keeps CDF (and so drift-distance) errors under about 1% of n.
"""

from __future__ import annotations

import math

import numpy as np

from mlops_core.data_quality.kll import KllSketch

INTAKE_SAMPLE = 1 << 15


class NumericState:
    def __init__(self, *, k: int, c: float, seed: int) -> None:
        self.count = 0
        self.total = 0.0
        self._mean = 0.0
        self._m2 = 0.0
        self.minimum = math.inf
        self.maximum = -math.inf
        self.sketch = KllSketch(k, c, seed=seed)
        self._rng = np.random.default_rng(seed + 1)

    def update(self, values: np.ndarray) -> None:
        """Add finite float64 values."""
        n = len(values)
        if n == 0:
            return
        total = float(values.sum())
        mean = total / n
        # Squares summed in place (numpy's pairwise sum), not ``d @ d``: BLAS dot runs threads
        # that, on a busy 2-core machine, made it 30x slower than this.
        deviations = values - mean
        self._merge_moments(n, mean, float(np.square(deviations, out=deviations).sum()))
        self.total += total
        self.minimum = min(self.minimum, float(values.min()))
        self.maximum = max(self.maximum, float(values.max()))
        self._intake(values)
        self.count += n

    def _merge_moments(self, n: int, mean: float, m2: float) -> None:
        combined = self.count + n
        delta = mean - self._mean
        self._mean += delta * n / combined
        self._m2 += m2 + delta * delta * self.count * n / combined

    @property
    def mean(self) -> float:
        return self.total / self.count

    @property
    def std_dev(self) -> float:
        return math.sqrt(max(self._m2, 0.0) / self.count)

    def _intake(self, values: np.ndarray) -> None:
        n = len(values)
        shift = max(0, math.floor(math.log2((self.count + n) / INTAKE_SAMPLE)))
        if shift == 0:
            self.sketch.add(values, 0)
            return
        block = 1 << shift
        blocks = n >> shift
        positions = (np.arange(blocks, dtype=np.int64) << shift) + self._rng.integers(0, block, blocks)
        rest = n - (blocks << shift)
        # The last partial block enters with probability rest / block, so every value keeps
        # the same chance 1 / block of standing for its block.
        if rest and self._rng.random() < rest / block:
            positions = np.append(positions, (blocks << shift) + int(self._rng.integers(0, rest)))
        self.sketch.add(values[positions], shift)
