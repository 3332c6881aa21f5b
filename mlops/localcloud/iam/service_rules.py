"""Services whose operations need more than `<prefix>:<Operation>` on the named resource.

Each rule answers the authorizations of one call, or None to use the generic resolution.
"""

from __future__ import annotations

from mlops.localcloud.iam import iam_data, moto_state
from mlops.localcloud.iam.authorization import Authorization, pairs
from mlops.localcloud.iam.moto_state import Where
from mlops.localcloud.iam.resolution import generic, request_tags
from mlops.localcloud.iam.sagemaker_rules import sagemaker_rule

_LAMBDA_ACTIONS = {"Invoke": "lambda:InvokeFunction", "InvokeWithResponseStream": "lambda:InvokeFunction"}
_SQS_BATCHES = {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage",
                "ChangeMessageVisibilityBatch": "ChangeMessageVisibility"}


def lambda_rule(operation: str, params: dict, where: Where) -> list[Authorization] | None:
    if not params.get("FunctionName"):
        return None
    action = _LAMBDA_ACTIONS.get(operation) or iam_data.action_name(f"lambda:{operation}")
    if action is None:
        return None
    return [Authorization(action, function_arn(params["FunctionName"], params.get("Qualifier"), where))]


def function_arn(name: str, qualifier: str | None, where: Where) -> str:
    """The ARN Lambda authorizes for a function name, partial ARN or ARN, with its qualifier."""
    parts = name.split(":")
    if name.startswith("arn:"):
        base, qualifier = parts[6], qualifier or (parts[7] if len(parts) > 7 else None)
    elif len(parts) >= 3 and parts[1] == "function":  # 123456789012:function:name[:qualifier]
        base, qualifier = parts[2], qualifier or (parts[3] if len(parts) > 3 else None)
    else:
        base, qualifier = parts[0], qualifier or (parts[1] if len(parts) > 1 else None)
    arn = f"arn:{where.partition}:lambda:{where.region}:{where.account}:function:{base}"
    return f"{arn}:{qualifier}" if qualifier else arn


def sqs_rule(operation: str, params: dict, where: Where) -> list[Authorization] | None:
    url, name = params.get("QueueUrl"), params.get("QueueName")
    if not url and not name:
        return None
    account = url.rstrip("/").split("/")[-2] if url else params.get("QueueOwnerAWSAccountId") or where.account
    name = name or url.rstrip("/").rsplit("/", 1)[-1]
    arn = f"arn:{where.partition}:sqs:{where.region}:{account}:{name}"
    operation = _SQS_BATCHES.get(operation, operation)
    return [Authorization(f"sqs:{operation}", arn, pairs(request_tags(params))),
            *queue_kms(operation, name, where)]


def queue_kms(operation: str, queue_name: str, where: Where, keys: dict | None = None) -> list[Authorization]:
    """KMS permissions SQS uses with the caller's credentials for an SSE-KMS queue: producers
    need kms:GenerateDataKey and kms:Decrypt, consumers kms:Decrypt."""
    actions = {"SendMessage": ("kms:GenerateDataKey", "kms:Decrypt"), "ReceiveMessage": ("kms:Decrypt",)}
    key = moto_state.queue_kms_key(where, queue_name) if operation in actions else None
    if key is None:
        return []
    context = pairs({"kms:ViaService": f"sqs.{where.region}.amazonaws.com", "kms:CallerAccount": where.account,
                     **(keys or {})})
    note = f"queue {queue_name} is encrypted with a KMS key"
    return [Authorization(action, key, context, note=note) for action in actions[operation]]


def events_rule(operation: str, params: dict, where: Where) -> list[Authorization] | None:
    if operation != "PutEvents":
        return None
    out = []
    for entry in params.get("Entries", []):
        bus = entry.get("EventBusName") or "default"
        arn = bus if bus.startswith("arn:") else (
            f"arn:{where.partition}:events:{where.region}:{where.account}:event-bus/{bus}")
        keys = pairs({"events:source": entry.get("Source"), "events:detail-type": entry.get("DetailType")})
        out.append(Authorization("events:PutEvents", arn, keys))
    return out


def ssm_rule(operation: str, params: dict, where: Where) -> list[Authorization] | None:
    if operation != "GetParametersByPath" or not params.get("Path"):
        return None
    # AWS authorizes a listing on the path itself: parameter/a/b for Path=/a/b (not parameter/a/b/*).
    arn = f"arn:{where.partition}:ssm:{where.region}:{where.account}:parameter/{params['Path'].strip('/')}"
    return [Authorization("ssm:GetParametersByPath", arn, pairs({"ssm:Recursive": bool(params.get("Recursive"))}))]


def kms_rule(operation: str, params: dict, where: Where) -> list[Authorization] | None:
    if not params.get("KeyId"):
        return None
    key = moto_state.key_arn(where, params["KeyId"])
    return [Authorization(f"kms:{operation}", key)] if key else []


def cloudwatch_rule(operation: str, params: dict, where: Where) -> list[Authorization] | None:
    names = params.get("AlarmNames")
    if operation in ("DescribeAlarms", "DeleteAlarms"):
        # Authorized on each alarm named; a listing without names (all, or by prefix) on every alarm.
        alarm = f"arn:{where.partition}:cloudwatch:{where.region}:{where.account}:alarm:"
        return [Authorization(f"cloudwatch:{operation}", alarm + name) for name in names or ["*"]]
    return generic(f"cloudwatch:{operation}", params, where, {"cloudwatch:namespace": params.get("Namespace")})


def servicequotas_rule(operation: str, params: dict, where: Where) -> list[Authorization] | None:
    # boto3 calls the service "service-quotas"; its IAM prefix is "servicequotas".
    return generic(f"servicequotas:{operation}", params, where)


RULES = {"lambda": lambda_rule, "sqs": sqs_rule, "events": events_rule, "kms": kms_rule, "ssm": ssm_rule,
         "cloudwatch": cloudwatch_rule, "sagemaker": sagemaker_rule, "service-quotas": servicequotas_rule}
