"""An incoming moto request as the API call it is: operation name, parameters, access key.

The request is parsed with botocore's model of the service by moto's own protocol parsers (the
ones its newer services use), so the parameters are the API's, as the caller's SDK sent them,
whatever the protocol (JSON, query, REST-XML with parameters in path, query and headers).
"""

from __future__ import annotations

import re

from moto.core.parse import PROTOCOL_PARSERS
from moto.core.request import determine_request_protocol
from moto.core.routing import NotFound, get_service_router
from moto.core.utils import get_service_model

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/")


def access_key(response) -> str:
    """The access key that signed the request (SigV4 header or presigned URL), "" if unsigned."""
    found = _CREDENTIAL.search(response.headers.get("Authorization", ""))
    if found:
        return found.group(1)
    credential = response.normalized_request.args.get("X-Amz-Credential", "")
    return credential.split("/", 1)[0]


def parse(response) -> tuple[str, str, dict]:
    """(boto3 service name, operation name, parameters) of the request `response` is serving."""
    service = response.boto3_service_name
    request = response.normalized_request
    model = get_service_model(service)
    try:
        operation, uri_params = get_service_router(service).match(request)
    except (NotFound, NotImplementedError):
        operation, uri_params = model.operation_model(response._get_action()), {}
    parser = PROTOCOL_PARSERS[determine_request_protocol(model, request.content_type)](operation)
    body = b"" if _blob_payload(operation) else request.data
    params = parser.parse({"method": request.method, "values": request.values, "headers": request.headers,
                           "body": body, "url_path": request.path, "url_params": uri_params})
    return service, operation.name, _plain(params)


def _blob_payload(operation) -> bool:
    """Whether the body is data (an S3 object, a part), not parameters: never parse those."""
    shape = operation.input_shape
    payload = shape.serialization.get("payload") if shape is not None else None
    return bool(payload) and shape.members[payload].type_name in ("blob", "string")


def _plain(value):
    """moto's parsers answer their own dict type; the checker keeps plain JSON-like values."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return None
    return value
