"""Credentials of a role, from AssumeRole against the embedded cloud.

Every Lambda, task and job calls AWS as its own role, as it would in AWS, so that each call
can later be checked against that role's policies.
"""

from __future__ import annotations

import boto3


def assume_role_env(role_arn: str, *, endpoint_url: str, region: str, session_name: str) -> dict[str, str]:
    """Environment variables carrying temporary credentials of `role_arn`."""
    sts = boto3.client(
        "sts",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id="embedded",
        aws_secret_access_key="embedded",
    )
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name[:64])["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
        "AWS_SESSION_TOKEN": creds["SessionToken"],
    }


def role_session(role_arn: str, *, endpoint_url: str, region: str, session_name: str) -> boto3.Session:
    env = assume_role_env(role_arn, endpoint_url=endpoint_url, region=region, session_name=session_name)
    return boto3.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=env["AWS_SESSION_TOKEN"],
        region_name=region,
    )
