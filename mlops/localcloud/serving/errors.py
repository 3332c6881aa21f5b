"""InvokeEndpoint's errors in the rest-json shape botocore parses (sagemaker-runtime service model).

botocore reads the code from the `x-amzn-ErrorType` header and `Message` plus the modeled
members (ModelError: OriginalStatusCode, OriginalMessage, LogStreamArn) from the JSON body.
"""

from __future__ import annotations

import json

# ModelError's text, as SageMaker words it; "primary" is the container of a single-container model.
_MODEL_ERROR = ("Received {kind} error ({status}) from primary with message \"{message}\". See "
                "https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#logEventViewer:"
                "group=/aws/sagemaker/Endpoints/{endpoint} in account {account} for more information.")
_TIMEOUT = ("Your invocation timed out while waiting for a response from container primary. Review the latency "
            "metrics for each container in Amazon CloudWatch, resolve the issue, and try again.")


class RuntimeApiError(Exception):
    def __init__(self, code: str, status: int, message: str, **members) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message
        self.members = members

    def body(self) -> bytes:
        return json.dumps({"Message": self.message, **self.members}).encode()


def validation_error(message: str) -> RuntimeApiError:
    return RuntimeApiError("ValidationError", 400, message)


def service_unavailable(message: str) -> RuntimeApiError:
    return RuntimeApiError("ServiceUnavailable", 503, message)


def internal_failure(message: str) -> RuntimeApiError:
    return RuntimeApiError("InternalFailure", 500, message)


def model_error(*, status: int, original: str, endpoint: str, account: str, region: str,
                timed_out: bool = False) -> RuntimeApiError:
    log_group = f"arn:aws:logs:{region}:{account}:log-group:/aws/sagemaker/Endpoints/{endpoint}"
    if timed_out:
        return RuntimeApiError("ModelError", 424, _TIMEOUT, LogStreamArn=log_group)
    message = _MODEL_ERROR.format(kind="client" if status < 500 else "server", status=status, message=original,
                                  region=region, endpoint=endpoint, account=account)
    return RuntimeApiError("ModelError", 424, message, OriginalStatusCode=status, OriginalMessage=original,
                           LogStreamArn=log_group)
