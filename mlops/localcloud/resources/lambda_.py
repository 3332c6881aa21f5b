"""AWS::Lambda::Function, AWS::Lambda::LayerVersion, AWS::Lambda::Permission and
AWS::Lambda::EventInvokeConfig.

Layer versions whose content asset was not published (see `mlops.localcloud.assets`: a
layer-only asset can be 100+ MB, and functions run locally on the venv's identical pins) are
created in moto with a tiny placeholder zip instead of their real content.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from mlops.localcloud.resources.base import Context, Created, as_str, drop_none, handler, tag_dict

_PASSED_THROUGH = ("Description", "DeadLetterConfig", "Architectures", "EphemeralStorage", "LoggingConfig",
                   "TracingConfig", "PackageType")
_KNOWINGLY_IGNORED = ("VpcConfig", "FileSystemConfigs", "SnapStart", "RuntimeManagementConfig",
                      "CodeSigningConfigArn", "RecursiveLoop", "ImageConfig")


def inline_zip(source: str, runtime: str) -> bytes:
    """`Code.ZipFile` as CloudFormation packages it: one file, index.py or index.js."""
    filename = "index.py" if runtime.startswith("python") else "index.js"
    return deterministic_zip({filename: source.encode()})


def deterministic_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()


PLACEHOLDER_LAYER_ZIP = deterministic_zip({
    "python/README.txt": b"Placeholder: the embedded cloud does not upload layer assets; "
                         b"functions run locally on the project's virtualenv, pinned like the layer.\n",
})


def create_function(ctx: Context, logical_id: str, props: dict) -> Created:
    lam = ctx.client("lambda")
    name = props.get("FunctionName") or ctx.name(logical_id, max_length=64)
    code = props["Code"]
    if "ImageUri" in code:
        raise ValueError("container image functions (Code.ImageUri) cannot run without Docker")
    if "ZipFile" in code:
        code_request: dict[str, Any] = {"ZipFile": inline_zip(code["ZipFile"], props.get("Runtime", "python"))}
    else:
        code_request = {k: code[k] for k in ("S3Bucket", "S3Key", "S3ObjectVersion") if k in code}
    request: dict[str, Any] = {
        "FunctionName": name, "Role": props["Role"], "Code": code_request, "Publish": False,
        **drop_none(Runtime=props.get("Runtime"), Handler=props.get("Handler"),
                    Timeout=int(props["Timeout"]) if "Timeout" in props else None,
                    MemorySize=int(props["MemorySize"]) if "MemorySize" in props else None,
                    Layers=props.get("Layers") or None, KMSKeyArn=props.get("KmsKeyArn")),
        **{key: props[key] for key in _PASSED_THROUGH if key in props},
    }
    variables = (props.get("Environment") or {}).get("Variables")
    if variables:
        request["Environment"] = {"Variables": {k: as_str(v) for k, v in variables.items()}}
    if props.get("Tags"):
        request["Tags"] = tag_dict(props["Tags"])
    arn = lam.create_function(**request)["FunctionArn"]
    if "ReservedConcurrentExecutions" in props:
        lam.put_function_concurrency(FunctionName=name,
                                     ReservedConcurrentExecutions=int(props["ReservedConcurrentExecutions"]))
    for key in _KNOWINGLY_IGNORED:
        if key in props:
            ctx.warn(f"{logical_id} (AWS::Lambda::Function): {key} is not applied in the embedded cloud")
    return Created(name, {"Arn": arn})


def create_layer_version(ctx: Context, logical_id: str, props: dict) -> Created:
    content = props["Content"]
    if (content.get("S3Bucket"), content.get("S3Key")) in ctx.layer_placeholders:
        content_request: dict[str, Any] = {"ZipFile": PLACEHOLDER_LAYER_ZIP}
    else:
        content_request = {k: content[k] for k in ("S3Bucket", "S3Key", "S3ObjectVersion") if k in content}
    name = props.get("LayerName") or ctx.name(logical_id, max_length=140)
    arn = ctx.client("lambda").publish_layer_version(
        LayerName=name, Content=content_request,
        **drop_none(Description=props.get("Description"), CompatibleRuntimes=props.get("CompatibleRuntimes"),
                    CompatibleArchitectures=props.get("CompatibleArchitectures"),
                    LicenseInfo=props.get("LicenseInfo")),
    )["LayerVersionArn"]
    return Created(arn, {"LayerVersionArn": arn})


def create_permission(ctx: Context, logical_id: str, props: dict) -> Created:
    statement_id = ctx.name(logical_id, max_length=100)
    ctx.client("lambda").add_permission(
        FunctionName=props["FunctionName"], StatementId=statement_id, Action=props["Action"],
        Principal=props["Principal"],
        **drop_none(SourceArn=props.get("SourceArn"), SourceAccount=props.get("SourceAccount"),
                    EventSourceToken=props.get("EventSourceToken"), PrincipalOrgID=props.get("PrincipalOrgID"),
                    FunctionUrlAuthType=props.get("FunctionUrlAuthType")),
    )
    return Created(statement_id)


def create_event_invoke_config(ctx: Context, logical_id: str, props: dict) -> Created:
    ctx.client("lambda").put_function_event_invoke_config(
        FunctionName=props["FunctionName"], Qualifier=props.get("Qualifier", "$LATEST"),
        **drop_none(
            MaximumRetryAttempts=int(props["MaximumRetryAttempts"]) if "MaximumRetryAttempts" in props else None,
            MaximumEventAgeInSeconds=(int(props["MaximumEventAgeInSeconds"])
                                      if "MaximumEventAgeInSeconds" in props else None),
            DestinationConfig=props.get("DestinationConfig"),
        ),
    )
    return Created(ctx.name(logical_id, max_length=128))


HANDLERS = {
    "AWS::Lambda::Function": handler(
        create_function, attributes=("Arn",),
        properties=("FunctionName", "Code", "Role", "Runtime", "Handler", "Timeout", "MemorySize", "Layers",
                    "KmsKeyArn", "Environment", "Tags", "ReservedConcurrentExecutions",
                    *_PASSED_THROUGH, *_KNOWINGLY_IGNORED),
    ),
    "AWS::Lambda::LayerVersion": handler(
        create_layer_version, attributes=("LayerVersionArn",),
        properties=("Content", "LayerName", "Description", "CompatibleRuntimes", "CompatibleArchitectures",
                    "LicenseInfo"),
    ),
    "AWS::Lambda::Permission": handler(
        create_permission,
        properties=("FunctionName", "Action", "Principal", "SourceArn", "SourceAccount", "EventSourceToken",
                    "PrincipalOrgID", "FunctionUrlAuthType"),
    ),
    "AWS::Lambda::EventInvokeConfig": handler(
        create_event_invoke_config,
        properties=("FunctionName", "Qualifier", "MaximumRetryAttempts", "MaximumEventAgeInSeconds",
                    "DestinationConfig"),
    ),
}
