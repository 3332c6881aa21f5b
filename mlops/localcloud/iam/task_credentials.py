"""State machine tasks call AWS as the state machine's role, as they do in AWS.

moto's Step Functions interpreter builds every service client of a task in `boto_client_for`
with fixed credentials ("ak"/"sk"), although it passes the task's `StateCredentials`: the
execution's RoleArn, or the task's own `Credentials.RoleArn`. Here the client gets AssumeRole
credentials of that role instead, in a session named after the state, so each call is
recorded as that state's, by that role. Credentials are cached per role and state.
"""

from __future__ import annotations

import re
import sys
import threading

import boto3
from botocore.config import Config
from moto.settings import moto_server_port
from moto.stepfunctions.parser.asl.component.common.timeouts.timeout import TimeoutSeconds
from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task import StateTask
from moto.stepfunctions.parser.asl.utils import boto_client as boto_client_module

from mlops.localcloud.credentials import assume_role_env

_original = {}
_active = {"on": False}  # off once the cloud stops: in-process moto (mock_aws) works as moto does
_cache: dict[tuple[str, str], dict[str, str]] = {}
_lock = threading.Lock()


def install() -> None:
    """Patch moto once per process; `reset` forgets credentials of a previous cloud."""
    reset()
    _active["on"] = True
    if _original:
        return
    _original["boto_client_for"] = boto_client_module.boto_client_for
    _original["state_credentials"] = StateTask._eval_state_credentials
    StateTask._eval_state_credentials = _eval_state_credentials
    # Every module of the interpreter imports the function by name: replace it at its source (for
    # modules imported later) and in each module that already holds the original.
    boto_client_module.boto_client_for = boto_client_for
    for module in list(sys.modules.values()):
        if (module is not None and module.__name__.startswith("moto.stepfunctions")
                and getattr(module, "boto_client_for", None) is _original["boto_client_for"]):
            module.boto_client_for = boto_client_for


def reset() -> None:
    with _lock:
        _cache.clear()


def deactivate() -> None:
    """The cloud stopped: tasks build their clients as moto does again."""
    _active["on"] = False
    reset()


def _eval_state_credentials(self, env):
    credentials = _original["state_credentials"](self, env)
    credentials.mlops_state_name = self.name  # read back in boto_client_for, to name the session
    return credentials


def boto_client_for(region: str, service: str, state_credentials=None):
    role_arn = getattr(state_credentials, "role_arn", None)
    if not role_arn or not _active["on"]:
        return _original["boto_client_for"](region=region, service=service, state_credentials=state_credentials)
    endpoint = f"http://localhost:{moto_server_port()}"
    env = _credentials(role_arn, getattr(state_credentials, "mlops_state_name", "task"), endpoint, region)
    return boto3.client(
        service_name=service, region_name=region, endpoint_url=endpoint,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=env["AWS_SESSION_TOKEN"],
        # As moto builds task clients: no SDK retries (Step Functions' Retry does that), its timeouts.
        config=Config(parameter_validation=False, retries={"max_attempts": 0, "total_max_attempts": 1},
                      connect_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS,
                      read_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS),
    )


def _credentials(role_arn: str, state_name: str, endpoint: str, region: str) -> dict[str, str]:
    session = re.sub(r"[^\w+=,.@-]", "-", state_name)[:64] or "task"
    with _lock:
        found = _cache.get((role_arn, session))
    if found is None:
        found = assume_role_env(role_arn, endpoint_url=endpoint, region=region, session_name=session)
        with _lock:
            _cache[(role_arn, session)] = found
    return found
