"""InvokeEndpoint's input constraints (sagemaker-runtime service model), worded as AWS's validation errors."""

from __future__ import annotations

import re

from mlops.localcloud.serving.errors import validation_error

MAX_BODY_BYTES = 6291456
_NAME = r"^[a-zA-Z0-9](-*[a-zA-Z0-9])*"
_PATTERNS = {  # field -> (pattern, max length)
    "endpointName": (_NAME, 63),
    "targetVariant": (_NAME, 63),
    "inferenceId": (r"\A\S[\p{Print}]*\z", 64),
    "customAttributes": (r"\p{ASCII}*", 1024),
}
_MATCHERS = {
    "endpointName": re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9])*\Z"),
    "targetVariant": re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9])*\Z"),
    "inferenceId": re.compile(r"\S[\x20-\x7e]*\Z"),
    "customAttributes": re.compile(r"[\x00-\x7f]*\Z"),
}
# Headers of features an endpoint of one single-container model does not have.
UNSUPPORTED_HEADERS = {
    "X-Amzn-SageMaker-Target-Model": "a multi-model endpoint",
    "X-Amzn-SageMaker-Target-Container-Hostname": "a multi-container endpoint with direct invocation",
    "X-Amzn-SageMaker-Inference-Component": "inference components",
    "X-Amzn-SageMaker-Enable-Explanations": "a SageMaker Clarify explainer",
    "X-Amzn-SageMaker-Session-Id": "stateful sessions",
}


def check_invocation(*, endpoint_name: str, body: bytes, fields: dict[str, str | None],
                     headers: dict[str, str]) -> None:
    """Raise ValidationError for the first constraint the request breaks."""
    problems = []
    for field, value in (("endpointName", endpoint_name), *fields.items()):
        if value is None:
            continue
        pattern, longest = _PATTERNS[field]
        if len(value) > longest:
            problems.append(f"Value '{value}' at '{field}' failed to satisfy constraint: Member must have length "
                            f"less than or equal to {longest}")
        elif not _MATCHERS[field].match(value):
            problems.append(f"Value '{value}' at '{field}' failed to satisfy constraint: Member must satisfy "
                            f"regular expression pattern: {pattern}")
    if len(body) > MAX_BODY_BYTES:
        problems.append(f"Value at 'body' failed to satisfy constraint: Member must have length less than or "
                        f"equal to {MAX_BODY_BYTES}")
    if problems:
        count = len(problems)
        raise validation_error(f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(problems))
    for header, feature in UNSUPPORTED_HEADERS.items():
        if header.lower() in headers:
            raise validation_error(f"{header} cannot be used with endpoint {endpoint_name}: it serves one model "
                                   f"without {feature}.")
