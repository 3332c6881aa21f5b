"""CloudWatch alarms in the embedded cloud: evaluated on the metrics put, as CloudWatch does.

moto stores alarms and metric data but never evaluates an alarm. Here `index` files the metric
data incrementally, `datapoints` and `statistics` (and `expressions` for metric math) give each
alarm its datapoints, `decision` picks the state with CloudWatch's wording, and `transitions`
updates the alarm, its history, the `CloudWatch Alarm State Change` event and SNS actions.
`evaluator.AlarmEvaluator` (`cloud.alarms`) runs it all on a clock; `api` patches moto's API.
"""

from mlops.localcloud.cloudwatch.api import install
from mlops.localcloud.cloudwatch.evaluator import AlarmEvaluator

__all__ = ["AlarmEvaluator", "install"]
