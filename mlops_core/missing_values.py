"""The spellings of a missing value, one list for every reader of model inputs: the job scripts
(sagemaker_jobs/table_schema.py: training, evaluation and inference.py) and the monitor's reading
of captured requests (mlops_core.monitoring.inputs), so a cell the model saw as missing is
missing to the drift checks too.

They are pandas' default NA strings, written out because the jobs read CSV with
`keep_default_na=False` (pandas' list may change between versions) and because JSON requests
and captured records are not read by pandas at all.

Standard library only: inference.py imports it in the serving container.
"""

from __future__ import annotations

MISSING_TOKENS = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
})
