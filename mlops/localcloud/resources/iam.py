"""AWS::IAM::Role, AWS::IAM::Policy (inline policies of roles, users, groups) and
AWS::IAM::ManagedPolicy.

AWS managed policies (`arn:aws:iam::aws:policy/...`) exist in moto only when its server was
started with MOTO_IAM_LOAD_MANAGED_POLICIES=true. Without them the ARN is still recorded (see
`Deployment.roles()`), and the missing attachment is reported in `Deployment.warnings`.
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from mlops.localcloud.resources.base import Context, Created, drop_none, handler, json_text, tag_list


def create_role(ctx: Context, logical_id: str, props: dict) -> Created:
    iam = ctx.client("iam")
    name = props.get("RoleName") or ctx.name(logical_id, max_length=64)
    role = iam.create_role(
        RoleName=name, Path=props.get("Path", "/"),
        AssumeRolePolicyDocument=json_text(props["AssumeRolePolicyDocument"]),
        **drop_none(
            Description=props.get("Description"),
            MaxSessionDuration=int(props["MaxSessionDuration"]) if "MaxSessionDuration" in props else None,
            PermissionsBoundary=props.get("PermissionsBoundary"),
            Tags=tag_list(props["Tags"]) if props.get("Tags") else None,
        ),
    )["Role"]
    for policy in props.get("Policies", []):
        iam.put_role_policy(RoleName=name, PolicyName=policy["PolicyName"],
                            PolicyDocument=json_text(policy["PolicyDocument"]))
    for arn in props.get("ManagedPolicyArns", []):
        _attach(ctx, arn, role=name)
    return Created(name, {"Arn": role["Arn"], "RoleId": role["RoleId"]})


def _attach(ctx: Context, policy_arn: str, *, role: str | None = None, user: str | None = None,
            group: str | None = None) -> None:
    iam = ctx.client("iam")
    try:
        if role:
            iam.attach_role_policy(RoleName=role, PolicyArn=policy_arn)
        elif user:
            iam.attach_user_policy(UserName=user, PolicyArn=policy_arn)
        else:
            iam.attach_group_policy(GroupName=group, PolicyArn=policy_arn)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "NoSuchEntity" or ":iam::aws:policy/" not in policy_arn:
            raise
        message = (f"AWS managed policy {policy_arn} is not loaded in moto (MOTO_IAM_LOAD_MANAGED_POLICIES): "
                   "recorded, not attached")
        if message not in ctx.warnings:
            ctx.warn(message)


def create_policy(ctx: Context, logical_id: str, props: dict) -> Created:
    iam = ctx.client("iam")
    document = json_text(props["PolicyDocument"])
    name = props["PolicyName"]
    for role in props.get("Roles", []):
        iam.put_role_policy(RoleName=role, PolicyName=name, PolicyDocument=document)
    for user in props.get("Users", []):
        iam.put_user_policy(UserName=user, PolicyName=name, PolicyDocument=document)
    for group in props.get("Groups", []):
        iam.put_group_policy(GroupName=group, PolicyName=name, PolicyDocument=document)
    return Created(ctx.name(logical_id, max_length=24))  # CloudFormation's short form: Stack-Logic-SUFFIX


def create_managed_policy(ctx: Context, logical_id: str, props: dict) -> Created:
    iam = ctx.client("iam")
    name = props.get("ManagedPolicyName") or ctx.name(logical_id, max_length=128)
    policy = iam.create_policy(
        PolicyName=name, Path=props.get("Path", "/"), PolicyDocument=json_text(props["PolicyDocument"]),
        **drop_none(Description=props.get("Description")),
    )["Policy"]
    for role in props.get("Roles", []):
        _attach(ctx, policy["Arn"], role=role)
    for user in props.get("Users", []):
        _attach(ctx, policy["Arn"], user=user)
    for group in props.get("Groups", []):
        _attach(ctx, policy["Arn"], group=group)
    return Created(policy["Arn"], {"PolicyArn": policy["Arn"], "PolicyId": policy["PolicyId"]})


HANDLERS = {
    "AWS::IAM::Role": handler(
        create_role, attributes=("Arn", "RoleId"),
        properties=("RoleName", "Path", "AssumeRolePolicyDocument", "Description", "MaxSessionDuration",
                    "PermissionsBoundary", "Tags", "Policies", "ManagedPolicyArns"),
    ),
    "AWS::IAM::Policy": handler(
        create_policy, properties=("PolicyName", "PolicyDocument", "Roles", "Users", "Groups")),
    "AWS::IAM::ManagedPolicy": handler(
        create_managed_policy, attributes=("PolicyArn", "PolicyId"),
        properties=("ManagedPolicyName", "Path", "PolicyDocument", "Description", "Roles", "Users", "Groups"),
    ),
}
