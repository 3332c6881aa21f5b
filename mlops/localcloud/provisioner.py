"""Creates a synthesized CDK stack's resources in the embedded cloud (a moto server), as
CloudFormation would: assets published, intrinsics resolved, resources created in dependency
order under CloudFormation-like names, outputs resolved.

Everything that can be checked is checked before anything is created: resource types against
the explicit registry (`SUPPORTED_RESOURCE_TYPES`), intrinsic functions, references and the
attributes asked of each type, dependency cycles, parameters. Bootstrap checks (the
`BootstrapVersion` parameter, `Rules`) and `AWS::CDK::Metadata` are ignored.

Names: an explicit name property wins. Otherwise names are made as CloudFormation makes them,
`<stack>-<LogicalId>-<SUFFIX>`, cut to each service's limit, with a 12-character suffix derived
from a hash of stack and logical id (the same on every run): S3 buckets lowercase, at most 63;
Lambda functions, IAM roles, EventBridge rules at most 64; SQS queues 80 (`.fifo` kept); state
machines and dashboards `<LogicalId>-<SUFFIX>` (80); SSM parameters `CFN-<LogicalId>-<SUFFIX>`.
`Ref` and `Fn::GetAtt` answer what CloudFormation documents for each type (bucket name, queue
URL, state machine ARN, ...).

Lambda layers: an asset used only as a LayerVersion's `Content` is not uploaded (it can be
100+ MB, and local functions run on the virtualenv, which has the layer's pins); the layer
version is created in moto with a tiny placeholder zip (`Deployment.assets` records it).

There is no rollback: when a creation fails, the error names the resource, and what was created
before it stays in the (throwaway) embedded cloud.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from mlops.localcloud import assets as asset_publishing
from mlops.localcloud.resources import HANDLERS, Context
from mlops.localcloud.template import (
    Resolver, TemplateError, attribute_references, condition_names, dependency_order, pseudo_parameters,
    references, unsupported_functions,
)

LOG = logging.getLogger(__name__)
SUPPORTED_RESOURCE_TYPES: frozenset[str] = frozenset(HANDLERS)
IGNORED_RESOURCE_TYPES: frozenset[str] = frozenset({"AWS::CDK::Metadata"})


class ProvisioningError(RuntimeError):
    """The stack cannot be provisioned; the message names the logical id and type at fault."""


@dataclass
class ProvisionedResource:
    type: str
    physical_id: str
    attributes: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)  # resolved
    details: dict[str, Any] = field(default_factory=dict)  # e.g. a state machine's final definition


@dataclass(frozen=True)
class FunctionInfo:
    logical_id: str
    name: str
    arn: str
    handler: str | None
    runtime: str | None
    environment: dict[str, str]
    role_arn: str
    code_bucket: str | None  # None for inline code (`inline_code`)
    code_key: str | None
    timeout: int
    memory: int
    layers: list[str] = field(default_factory=list)
    inline_code: str | None = None


@dataclass(frozen=True)
class RuleInfo:
    logical_id: str
    name: str
    arn: str
    event_bus: str
    event_pattern: dict | None
    schedule_expression: str | None
    state: str
    targets: list[dict]


@dataclass(frozen=True)
class StateMachineInfo:
    logical_id: str
    name: str
    arn: str
    definition: dict
    role_arn: str
    type: str
    logging_configuration: dict | None
    tracing_configuration: dict | None


@dataclass(frozen=True)
class RoleInfo:
    logical_id: str
    name: str
    arn: str
    assume_role_policy: dict
    inline_policies: dict[str, dict]  # policy name -> document (Role.Policies and AWS::IAM::Policy)
    managed_policy_arns: list[str]  # ManagedPolicyArns and AWS::IAM::ManagedPolicy attachments
    managed_policies: dict[str, dict]  # arn -> document, for the stack's own managed policies


@dataclass
class Deployment:
    """A provisioned stack: outputs, resources (physical ids, attributes, resolved properties) and
    views the embedded cloud's runtimes need (functions, rules, state machines, roles)."""

    stack_name: str
    stack_id: str = ""
    region: str = ""
    account: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    resources: dict[str, ProvisionedResource] = field(default_factory=dict)
    assets: list[asset_publishing.PublishedAsset] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # logical id -> why it was not created
    warnings: list[str] = field(default_factory=list)

    def of_type(self, resource_type: str) -> dict[str, ProvisionedResource]:
        return {lid: r for lid, r in self.resources.items() if r.type == resource_type}

    def functions(self) -> list[FunctionInfo]:
        out = []
        for lid, r in self.of_type("AWS::Lambda::Function").items():
            p, code = r.properties, r.properties.get("Code", {})
            out.append(FunctionInfo(
                logical_id=lid, name=r.physical_id, arn=r.attributes["Arn"], handler=p.get("Handler"),
                runtime=p.get("Runtime"),
                environment={k: str(v) for k, v in ((p.get("Environment") or {}).get("Variables") or {}).items()},
                role_arn=p["Role"], code_bucket=code.get("S3Bucket"), code_key=code.get("S3Key"),
                timeout=int(p.get("Timeout", 3)), memory=int(p.get("MemorySize", 128)),
                layers=list(p.get("Layers", [])), inline_code=code.get("ZipFile"),
            ))
        return out

    def rules(self) -> list[RuleInfo]:
        out = []
        for lid, r in self.of_type("AWS::Events::Rule").items():
            p = r.properties
            pattern = p.get("EventPattern")
            out.append(RuleInfo(
                logical_id=lid, name=r.physical_id.split("|")[-1], arn=r.attributes["Arn"],
                event_bus=p.get("EventBusName", "default"),
                event_pattern=json.loads(pattern) if isinstance(pattern, str) else pattern,
                schedule_expression=p.get("ScheduleExpression"), state=p.get("State", "ENABLED"),
                targets=[dict(t) for t in p.get("Targets", [])],
            ))
        return out

    def state_machines(self) -> list[StateMachineInfo]:
        return [StateMachineInfo(
            logical_id=lid, name=r.attributes["Name"], arn=r.physical_id,
            definition=json.loads(r.details["definition"]), role_arn=r.properties["RoleArn"],
            type=r.properties.get("StateMachineType", "STANDARD"),
            logging_configuration=r.properties.get("LoggingConfiguration"),
            tracing_configuration=r.properties.get("TracingConfiguration"),
        ) for lid, r in self.of_type("AWS::StepFunctions::StateMachine").items()]

    def roles(self) -> list[RoleInfo]:
        policies = self.of_type("AWS::IAM::Policy").values()
        managed = self.of_type("AWS::IAM::ManagedPolicy").values()
        documents = {x.physical_id: _document(x.properties["PolicyDocument"]) for x in managed}
        out = []
        for lid, r in self.of_type("AWS::IAM::Role").items():
            p = r.properties
            inline = {x["PolicyName"]: _document(x["PolicyDocument"]) for x in p.get("Policies", [])}
            inline.update({x.properties["PolicyName"]: _document(x.properties["PolicyDocument"])
                           for x in policies if r.physical_id in x.properties.get("Roles", [])})
            arns = list(p.get("ManagedPolicyArns", []))
            arns += [x.physical_id for x in managed if r.physical_id in x.properties.get("Roles", [])
                     and x.physical_id not in arns]
            out.append(RoleInfo(
                logical_id=lid, name=r.physical_id, arn=r.attributes["Arn"],
                assume_role_policy=_document(p["AssumeRolePolicyDocument"]), inline_policies=inline,
                managed_policy_arns=arns, managed_policies={a: documents[a] for a in arns if a in documents},
            ))
        return out

    def outputs_file_payload(self) -> dict[str, dict[str, str]]:
        """The shape `cdk deploy --outputs-file` writes."""
        return {self.stack_name: dict(self.outputs)}


def _document(value: Any) -> dict:
    return json.loads(value) if isinstance(value, str) else value


def provision(cdk_out: Path, stack_name: str, *, endpoint_url: str, region: str, account: str = "123456789012",
              parameters: dict[str, str] | None = None) -> Deployment:
    """Provision `<cdk_out>/<stack_name>.template.json` (and its assets) in the moto server at
    `endpoint_url`. `parameters` override template parameter defaults."""
    if not re.fullmatch(r"[A-Za-z][-A-Za-z0-9]{0,127}", stack_name):
        raise ProvisioningError(f"stack name {stack_name!r}: CloudFormation stack names are letters, digits and "
                                "hyphens, start with a letter, at most 128 characters")
    template = _read_template(Path(cdk_out), stack_name)
    pseudo = pseudo_parameters(region=region, account=account, stack_name=stack_name)
    ctx = Context(endpoint_url=endpoint_url, region=region, account=account, stack_name=stack_name,
                  partition=pseudo["AWS::Partition"], url_suffix=pseudo["AWS::URLSuffix"])
    deployment = Deployment(stack_name=stack_name, stack_id=pseudo["AWS::StackId"], region=region, account=account)
    resolver = Resolver(
        pseudo=pseudo, parameters=_Parameters(template, parameters or {}, ctx),
        conditions=template.get("Conditions"), mappings=template.get("Mappings"),
        ref=lambda name: _ref(deployment, template, name),
        get_att=lambda name, attribute: _get_att(deployment, template, name, attribute),
    )
    order = _plan(template, resolver, deployment)
    _check_account(ctx)
    _publish_assets(Path(cdk_out), stack_name, template, ctx, deployment, pseudo["AWS::Partition"])
    for logical_id in order:
        _create(logical_id, template["Resources"][logical_id], resolver, ctx, deployment)
    for logical_id, action in ctx.take_deferred():
        resource_type = template["Resources"][logical_id]["Type"]
        try:
            action()
        except Exception as exc:
            raise ProvisioningError(f"{logical_id} ({resource_type}): configuration failed after creation: "
                                    f"{_describe(exc)}") from exc
    deployment.outputs = _outputs(template, resolver)
    deployment.warnings.extend(ctx.warnings)
    return deployment


def _read_template(cdk_out: Path, stack_name: str) -> dict:
    path = cdk_out / f"{stack_name}.template.json"
    if not path.exists():
        raise ProvisioningError(f"{path}: no such template (synthesize the app, or check the stack name)")
    template = json.loads(path.read_text())
    if template.get("Transform"):
        raise ProvisioningError(f"{path}: Transform {template['Transform']!r} is not supported by the embedded cloud")
    return template


class _Parameters:
    """Template parameters for the resolver: given values, then defaults; SSM-typed parameters
    read their value from the embedded cloud's Parameter Store when first referenced."""

    def __init__(self, template: dict, given: dict[str, str], ctx: Context) -> None:
        self._declared = template.get("Parameters") or {}
        self._given = given
        self._ctx = ctx
        self._cache: dict[str, Any] = {}
        unknown = sorted(set(given) - set(self._declared))
        if unknown:
            raise ProvisioningError(f"parameters not in the template: {', '.join(unknown)}")
        missing = [name for name, spec in self._declared.items() if name not in given and "Default" not in spec]
        if missing:
            raise ProvisioningError(f"parameters without a value or default: {', '.join(missing)}")

    def __call__(self, name: str) -> tuple[bool, Any]:
        if name not in self._declared:
            return False, None
        if name not in self._cache:
            self._cache[name] = self._value(name, self._declared[name])
        return True, self._cache[name]

    def _value(self, name: str, spec: dict) -> Any:
        raw = str(self._given.get(name, spec.get("Default")))
        kind = spec.get("Type", "String")
        if kind.startswith("AWS::SSM::Parameter::Value<"):
            try:
                raw = self._ctx.client("ssm").get_parameter(Name=raw)["Parameter"]["Value"]
            except ClientError as exc:
                raise TemplateError(f"parameter {name}: SSM parameter {raw} not found ({_describe(exc)})") from exc
            kind = kind[len("AWS::SSM::Parameter::Value<"):-1]
        if kind == "CommaDelimitedList" or kind.startswith("List<"):
            return [item.strip() for item in raw.split(",")]
        return raw


def _plan(template: dict, resolver: Resolver, deployment: Deployment) -> list[str]:
    """Validate the whole template and return the creation order; nothing is created here."""
    resources = template.get("Resources") or {}
    active: dict[str, dict] = {}
    unsupported = []
    for logical_id, resource in resources.items():
        resource_type = resource.get("Type", "")
        if resource_type in IGNORED_RESOURCE_TYPES:
            deployment.skipped[logical_id] = f"{resource_type} is ignored"
        elif resource.get("Condition") and not _condition(resolver, resource["Condition"], logical_id, resource_type):
            deployment.skipped[logical_id] = f"condition {resource['Condition']} is false"
        elif resource_type not in SUPPORTED_RESOURCE_TYPES:
            unsupported.append(f"{logical_id} ({resource_type})")
        else:
            active[logical_id] = resource
    if unsupported:
        raise ProvisioningError(
            f"unsupported resource type(s), nothing was created: {', '.join(unsupported)}. The embedded cloud "
            "supports: " + ", ".join(sorted(SUPPORTED_RESOURCE_TYPES)))
    dependencies = {}
    for logical_id, resource in active.items():
        dependencies[logical_id] = _dependencies(logical_id, resource, active, template, deployment)
    for name, output in (template.get("Outputs") or {}).items():
        _check_fragment(f"output {name}", output.get("Value"), active, template)
    try:
        return dependency_order(dependencies)
    except TemplateError as exc:
        raise ProvisioningError(str(exc)) from None


def _condition(resolver: Resolver, name: str, logical_id: str, resource_type: str) -> bool:
    try:
        return resolver.condition(name)
    except TemplateError as exc:
        raise ProvisioningError(f"{logical_id} ({resource_type}): {exc}") from None


def _dependencies(logical_id: str, resource: dict, active: dict, template: dict, deployment: Deployment) -> set[str]:
    resource_type = resource["Type"]
    where = f"{logical_id} ({resource_type})"
    properties = resource.get("Properties") or {}
    _check_fragment(where, properties, active, template)
    known = HANDLERS[resource_type].properties
    if known is not None:
        for prop in sorted(set(properties) - known):
            message = f"{where}: property {prop} is ignored by the embedded cloud"
            LOG.warning(message)
            deployment.warnings.append(message)
    depends_on = resource.get("DependsOn") or []
    depends_on = [depends_on] if isinstance(depends_on, str) else depends_on
    for name in depends_on:
        if name not in template.get("Resources", {}):
            raise ProvisioningError(f"{where}: DependsOn {name}, which is not in the template")
    declared = set(template.get("Parameters") or {})
    return (references(properties, exclude=declared) | set(depends_on)) & set(active) - {logical_id}


def _check_fragment(where: str, fragment: Any, active: dict, template: dict) -> None:
    functions = unsupported_functions(fragment)
    if functions:
        detail = " (cross-stack references are not supported)" if "Fn::ImportValue" in functions else ""
        raise ProvisioningError(f"{where}: unsupported intrinsic function(s) {', '.join(sorted(functions))}{detail}")
    undefined = condition_names(fragment) - set(template.get("Conditions") or {})
    if undefined:
        raise ProvisioningError(f"{where}: Fn::If names undefined condition(s) {', '.join(sorted(undefined))}")
    declared = set(template.get("Parameters") or {})
    for name in sorted(references(fragment, exclude=declared)):
        if name not in template.get("Resources", {}):
            raise ProvisioningError(f"{where}: refers to {name}, which is neither a resource nor a parameter")
    for name, attribute in sorted(attribute_references(fragment)):
        if name in active:
            handler = HANDLERS[active[name]["Type"]]
            if attribute not in handler.attributes:
                raise ProvisioningError(
                    f"{where}: Fn::GetAtt {name}.{attribute}: {active[name]['Type']} has no attribute {attribute} "
                    f"in the embedded cloud (supported: {', '.join(sorted(handler.attributes)) or 'none'})")


def _check_account(ctx: Context) -> None:
    served = ctx.client("sts").get_caller_identity()["Account"]
    if served != ctx.account:
        raise ProvisioningError(f"account {ctx.account} was asked for, but {ctx.endpoint_url} serves account {served}")


def _publish_assets(cdk_out: Path, stack_name: str, template: dict, ctx: Context, deployment: Deployment,
                    partition: str) -> None:
    try:
        assets = asset_publishing.read_assets(cdk_out, stack_name, account=ctx.account, region=ctx.region,
                                              partition=partition)
        layer_only = asset_publishing.layer_only_locations(assets, template)
        deployment.assets = asset_publishing.publish(assets, ctx.client("s3"), region=ctx.region, layer_only=layer_only)
    except (asset_publishing.AssetError, ClientError) as exc:
        raise ProvisioningError(f"publishing assets of {stack_name}: {_describe(exc)}") from exc
    ctx.layer_placeholders = set(layer_only)
    for published in deployment.assets:
        if published.status == asset_publishing.SKIPPED:
            ctx.warn(f"asset {published.asset.asset_id} ({published.asset.display_name}): container image "
                     "assets are not published (no Docker)")


def _create(logical_id: str, resource: dict, resolver: Resolver, ctx: Context, deployment: Deployment) -> None:
    resource_type = resource["Type"]
    try:
        properties = resolver.resolve(resource.get("Properties") or {})
    except TemplateError as exc:
        raise ProvisioningError(f"{logical_id} ({resource_type}): {exc}") from exc
    try:
        created = HANDLERS[resource_type].create(ctx, logical_id, properties)
    except Exception as exc:
        raise ProvisioningError(
            f"{logical_id} ({resource_type}): creation failed: {_describe(exc)} "
            f"({len(deployment.resources)} resource(s) created before it remain)") from exc
    LOG.debug("created %s (%s): %s", logical_id, resource_type, created.physical_id)
    deployment.resources[logical_id] = ProvisionedResource(resource_type, created.physical_id, created.attributes,
                                                           properties, created.details)


def _ref(deployment: Deployment, template: dict, name: str) -> Any:
    if name in deployment.resources:
        return deployment.resources[name].physical_id
    if name in deployment.skipped:
        raise TemplateError(f"Ref {name}: the resource is not created ({deployment.skipped[name]})")
    if name in (template.get("Resources") or {}):
        raise TemplateError(f"Ref {name}: the resource is not created yet")
    raise TemplateError(f"Ref {name}: no such resource or parameter")


def _get_att(deployment: Deployment, template: dict, name: str, attribute: str) -> Any:
    resource = deployment.resources.get(name)
    if resource is None:
        return _ref(deployment, template, name)  # raises, naming why
    if attribute not in resource.attributes:
        raise TemplateError(f"Fn::GetAtt {name}.{attribute}: {resource.type} has no attribute {attribute}")
    return resource.attributes[attribute]


def _outputs(template: dict, resolver: Resolver) -> dict[str, str]:
    outputs = {}
    for name, output in (template.get("Outputs") or {}).items():
        try:
            if output.get("Condition") and not resolver.condition(output["Condition"]):
                continue
            value = resolver.resolve(output["Value"])
        except TemplateError as exc:
            raise ProvisioningError(f"output {name}: {exc}") from exc
        outputs[name] = ",".join(map(str, value)) if isinstance(value, list) else str(value)
    return outputs


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{exc.operation_name}: {error.get('Code')}: {error.get('Message')}"
    return f"{type(exc).__name__}: {exc}"
