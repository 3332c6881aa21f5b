"""The embedded cloud: moto as a local server, plus the runtimes moto lacks.

One code path for tests, `mlops demo` and `mlops local up`: a `ThreadedMotoServer` on
127.0.0.1, Step Functions executing real ASL, Lambda code run from its assets, EventBridge
delivering to Lambda and state machines, SageMaker jobs run per their contracts. With
`iam_check=True`, every AWS call the deployed stack makes is recorded and `cloud.iam` checks it
against the policies of the role that made it (`mlops.localcloud.iam`).
"""

from __future__ import annotations

import copy
import json
import logging
import os
import shutil
import tempfile
import urllib.request
from pathlib import Path

import boto3
from moto.core import config as moto_config
from moto.server import ThreadedMotoServer

from mlops.localcloud import hooks
from mlops.localcloud.cloudwatch import AlarmEvaluator
from mlops.localcloud.eventbridge import EventBus
from mlops.localcloud.iam import IamCheck
from mlops.localcloud.iam import recording as iam_recording
from mlops.localcloud.lambda_runtime import FunctionSpec, LambdaRuntime
from mlops.localcloud.model_monitor import MonitoringScheduleRunner
from mlops.localcloud.provisioner import Deployment, provision
from mlops.localcloud.quotas import ServiceQuotas
from mlops.localcloud.scheduler import ScheduleRunner
from mlops.localcloud.sagemaker_jobs import JobScheduler
from mlops.localcloud.serving import EndpointRouter, FaultInjector, FleetHost, mount_runtime
from mlops.localcloud.serving.control import EndpointController
from mlops.localcloud.tuning import TuningScheduler

LOG = logging.getLogger(__name__)
ACCOUNT = "123456789012"  # moto's default account
MOTO_CONFIG = {
    "stepfunctions": {"execute_state_machine": True},
    "lambda": {"use_docker": False},
    "batch": {"use_docker": False},
}


class EmbeddedCloud:
    def __init__(self, *, region: str, port: int = 0, workdir: Path | None = None, iam_check: bool = False) -> None:
        self.region = region
        self._iam_check = iam_check
        self.iam: IamCheck | None = None  # set by start() when iam_check
        self.account = ACCOUNT
        self._port = port
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="mlops-cloud-"))
        self._server: ThreadedMotoServer | None = None
        self.deployments: dict[str, Deployment] = {}

    @property
    def endpoint_url(self) -> str:
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    def start(self) -> "EmbeddedCloud":
        # Request lines and moto's own tracebacks of failed states are noise to a user: the
        # execution history and the CLI say what failed.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        logging.getLogger("moto.stepfunctions").setLevel(logging.CRITICAL)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self._port, verbose=False)
        self._server.start()
        # The SageMaker runtime path is served in front of moto's dispatch (DESIGN.md section 4).
        self.faults = FaultInjector()
        self.router = EndpointRouter(account=self.account, region=self.region, faults=self.faults)
        mount_runtime(self._server, router=self.router, faults=self.faults)
        # moto's Step Functions calls AWS services back through this port.
        self._moto_port_before = os.environ.get("MOTO_PORT")
        os.environ["MOTO_PORT"] = str(self._server.get_host_and_port()[1])
        # moto's state is per process: start from an empty cloud.
        self._moto_api("reset", None)
        self._configure_moto()
        self.runtime = LambdaRuntime(endpoint_url=self.endpoint_url, region=self.region, workdir=self.workdir)
        self.bus = EventBus(runtime=self.runtime, endpoint_url=self.endpoint_url, region=self.region)
        self.jobs = JobScheduler(endpoint_url=self.endpoint_url, region=self.region)
        self.tuner = TuningScheduler()
        self.fleets = FleetHost(endpoint_url=self.endpoint_url, region=self.region, account=self.account,
                                workdir=self.workdir)
        self.endpoints = EndpointController(fleets=self.fleets, router=self.router, deliver=hooks.redeliver)
        self.alarms = AlarmEvaluator(deliver=hooks.redeliver)  # CloudWatch alarms, evaluated on a clock
        self.quotas = ServiceQuotas()
        self.schedules = ScheduleRunner(endpoint_url=self.endpoint_url, region=self.region)  # EventBridge Scheduler
        # SageMaker Model Monitor schedules, run as Processing jobs of the analyzer image.
        self.monitoring = MonitoringScheduleRunner(jobs=self.jobs, endpoint_url=self.endpoint_url, region=self.region)
        hooks.install(runtime=self.runtime, bus=self.bus, jobs=self.jobs, tuner=self.tuner, endpoints=self.endpoints,
                      alarms=self.alarms, quotas=self.quotas, monitoring=self.monitoring)
        self.alarms.start()
        self.schedules.start()
        self.monitoring.start()
        if self._iam_check:
            self.iam = IamCheck(account=self.account, region=self.region,
                                deployments=lambda: list(self.deployments.values()))
        iam_recording.activate(self.iam.recorder if self.iam else None)
        return self

    def _configure_moto(self) -> None:
        # The server shares this process's moto: keep the caller's config to give it back at stop.
        self._moto_config_before = copy.deepcopy(moto_config.default_user_config)
        self._moto_api("config", MOTO_CONFIG)

    def _moto_api(self, path: str, payload: dict | None) -> None:
        request = urllib.request.Request(
            f"{self.endpoint_url}/moto-api/{path}", data=json.dumps(payload or {}).encode(),
            method="POST", headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(request).read()

    def deploy(self, cdk_out: Path, stack_name: str) -> Deployment:
        deployment = provision(cdk_out, stack_name, endpoint_url=self.endpoint_url, region=self.region,
                               account=self.account)
        for fn in deployment.functions():
            self.runtime.register(FunctionSpec(
                name=fn.name, arn=fn.arn, handler=fn.handler, role_arn=fn.role_arn,
                code_bucket=fn.code_bucket, code_key=fn.code_key, environment=dict(fn.environment or {}),
                timeout=int(fn.timeout or 3), memory=int(fn.memory or 128),
            ))
        self.deployments[stack_name] = deployment
        return deployment

    def client(self, service: str):
        return boto3.client(service, endpoint_url=self.endpoint_url, region_name=self.region,
                            aws_access_key_id="local", aws_secret_access_key="local")

    def redeliver(self, event: dict) -> None:
        """Deliver an already delivered event again, as EventBridge may (at-least-once)."""
        hooks.redeliver(self.account, self.region, event)

    def stop(self) -> None:
        if self.iam is not None:  # findings stay readable after the stop
            iam_recording.activate(None)
            self.iam.close()
        for part in ("monitoring", "schedules", "alarms", "endpoints", "router", "fleets", "tuner", "bus", "jobs",
                     "runtime"):
            if hasattr(self, part):
                getattr(self, part).close()
        hooks.uninstall()
        if getattr(self, "_moto_config_before", None) is not None:  # a later mock_aws gets moto's own config
            moto_config.default_user_config.clear()
            moto_config.default_user_config.update(self._moto_config_before)
        if self._server is not None:
            self._server.stop()
            self._server = None
            # moto in this process (e.g. a later mock_aws) must not call back to a stopped server.
            if self._moto_port_before is None:
                os.environ.pop("MOTO_PORT", None)
            else:
                os.environ["MOTO_PORT"] = self._moto_port_before
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "EmbeddedCloud":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
