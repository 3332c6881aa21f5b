"""Errors of the monitor that stop a check; their names are what callers and operators see."""

from __future__ import annotations


class MonitoringError(ValueError):
    """A check that cannot run; the message says why and what to do."""


class MissingBaseline(MonitoringError):
    """The deployed model package has no DriftCheckBaselines (or they cannot be read)."""

    def __init__(self, package: str, detail: str) -> None:
        super().__init__(f"MissingBaseline: model package {package} {detail}")
        self.package = package


class EndpointNotFound(MonitoringError):
    """The model's endpoint does not exist (not deployed yet, or deleted)."""

    def __init__(self, endpoint: str, model: str) -> None:
        super().__init__(
            f"EndpointNotFound: endpoint {endpoint!r} of model {model!r} does not exist. Deploy the model first "
            f"(approve a model package version), or disable monitoring for it.")
        self.endpoint = endpoint


class InvalidRequest(MonitoringError):
    """A monitor request that does not fit docs/contracts.md "Monitoring"; the message names the field."""
