"""One endpoint as the control plane sees it, and DescribeEndpoint's answer for it.

moto's `FakeEndpoint` record stays the store of what ListEndpoints reads (status, active
config name, times, FailureReason); this object adds the fleets behind it: the active
(blue) config's and, during an update, the pending (green) one's. The worker thread changes it
under `lock`; DescribeEndpoint reads it under the same lock, so every answer is one moment.
"""

from __future__ import annotations

import copy
import threading

from moto.core.utils import utcnow

from mlops.localcloud.serving.control.fleets import ConfigDeployment

IN_PROGRESS = ("Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting")
FAILURE_REASON_LIMIT = 1024  # FailureReason's length limit in SageMaker's API


class EndpointState:
    def __init__(self, *, record, account: str, region: str, active: ConfigDeployment,
                 deployment_config: dict | None) -> None:
        self.lock = threading.RLock()
        self.record = record
        self.account, self.region = account, region
        self.active = active
        self.pending: ConfigDeployment | None = None
        self.pending_start = None
        self.last_deployment_config = deployment_config or None
        self.stop = threading.Event()
        self.worker: threading.Thread | None = None

    @property
    def name(self) -> str:
        return self.record.endpoint_name

    @property
    def arn(self) -> str:
        return self.record.arn

    @property
    def status(self) -> str:
        return self.record.endpoint_status

    def set_status(self, status: str, *, failure: str | None = None) -> None:
        """Move to `status`; FailureReason becomes `failure` (None: none shown)."""
        self.record.endpoint_status = status
        self.record.failure_reason = failure[:FAILURE_REASON_LIMIT] if failure else None
        self.record.last_modified_time = utcnow()

    def begin_update(self, green: ConfigDeployment, deployment_config: dict | None) -> None:
        self.pending, self.pending_start = green, utcnow()
        self.last_deployment_config = deployment_config or None
        self.set_status("Updating")

    def describe(self) -> dict:
        with self.lock:
            record = self.record
            out = {
                "EndpointName": record.endpoint_name,
                "EndpointArn": record.arn,
                "EndpointConfigName": record.endpoint_config_name,
                "ProductionVariants": [v.summary() for v in self.active.production],
                "EndpointStatus": record.endpoint_status,
                "CreationTime": record.creation_time,
                "LastModifiedTime": record.last_modified_time,
            }
            if self.active.shadows:
                out["ShadowProductionVariants"] = [v.summary() for v in self.active.shadows]
            capture = self.active.capture_summary()
            if capture:
                out["DataCaptureConfig"] = capture
            if record.failure_reason:
                out["FailureReason"] = record.failure_reason
            if self.last_deployment_config:
                out["LastDeploymentConfig"] = self.last_deployment_config
            if self.pending is not None:
                out["PendingDeploymentSummary"] = self._pending_summary()
            return copy.deepcopy(out)

    def _pending_summary(self) -> dict:
        summary = {
            "EndpointConfigName": self.pending.config_name,
            "ProductionVariants": [v.summary(pending=True) for v in self.pending.production],
            "StartTime": self.pending_start,
        }
        if self.pending.shadows:
            summary["ShadowProductionVariants"] = [v.summary(pending=True) for v in self.pending.shadows]
        return summary
