"""One module per resource family; `HANDLERS` is the explicit registry of supported types."""

from __future__ import annotations

from mlops.localcloud.resources import (
    cdk_custom, cloudwatch, events, iam, kms, lambda_, logs, s3, sagemaker, scheduler, sns, sqs, ssm, stepfunctions,
)
from mlops.localcloud.resources.base import Context, Created, Handler

HANDLERS: dict[str, Handler] = {
    **s3.HANDLERS, **kms.HANDLERS, **iam.HANDLERS, **lambda_.HANDLERS, **events.HANDLERS,
    **stepfunctions.HANDLERS, **sqs.HANDLERS, **sns.HANDLERS, **ssm.HANDLERS, **logs.HANDLERS,
    **cloudwatch.HANDLERS, **sagemaker.HANDLERS, **scheduler.HANDLERS, **cdk_custom.HANDLERS,
}

__all__ = ["HANDLERS", "Context", "Created", "Handler"]
