"""What one monitoring execution runs, whichever way the schedule names it.

A schedule either names a job definition (MonitoringJobDefinitionName + MonitoringType, here a
DataQualityJobDefinition) or carries the older inline MonitoringJobDefinition. Both say the
same things under different member names; `JobSpec` is that common content, read when an
execution starts (a job definition is immutable, an inline one changes only by
UpdateMonitoringSchedule).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class JobSpec:
    role_arn: str
    app: dict  # ImageUri, ContainerEntrypoint?, ContainerArguments?
    environment: dict[str, str]
    endpoint_input: dict  # EndpointName, LocalPath, S3InputMode?, S3DataDistributionType?
    output: dict  # MonitoringOutputConfig: MonitoringOutputs[0].S3Output, KmsKeyId?
    cluster: dict  # MonitoringResources.ClusterConfig
    statistics_uri: str | None
    constraints_uri: str | None
    stopping_condition: dict = field(default_factory=dict)
    network: dict = field(default_factory=dict)

    @property
    def endpoint_name(self) -> str:
        return self.endpoint_input["EndpointName"]

    @property
    def s3_output(self) -> dict:
        return self.output["MonitoringOutputs"][0]["S3Output"]


def from_data_quality_definition(definition) -> JobSpec:
    """From moto's FakeDataQualityJobDefinition."""
    app = dict(definition.data_quality_app_specification or {})
    baseline = definition.data_quality_baseline_config or {}
    return JobSpec(
        role_arn=definition.role_arn, app=_app(app), environment=dict(app.get("Environment") or {}),
        endpoint_input=dict((definition.data_quality_job_input or {}).get("EndpointInput") or {}),
        output=definition.data_quality_job_output_config or {},
        cluster=(definition.job_resources or {}).get("ClusterConfig") or {},
        statistics_uri=(baseline.get("StatisticsResource") or {}).get("S3Uri"),
        constraints_uri=(baseline.get("ConstraintsResource") or {}).get("S3Uri"),
        stopping_condition=definition.stopping_condition or {}, network=definition.network_config or {},
    )


def from_inline_definition(definition: dict) -> JobSpec:
    """From a MonitoringScheduleConfig.MonitoringJobDefinition."""
    baseline = definition.get("BaselineConfig") or {}
    inputs = definition.get("MonitoringInputs") or [{}]
    return JobSpec(
        role_arn=definition["RoleArn"], app=_app(definition.get("MonitoringAppSpecification") or {}),
        environment=dict(definition.get("Environment") or {}),
        endpoint_input=dict(inputs[0].get("EndpointInput") or {}),
        output=definition.get("MonitoringOutputConfig") or {},
        cluster=(definition.get("MonitoringResources") or {}).get("ClusterConfig") or {},
        statistics_uri=(baseline.get("StatisticsResource") or {}).get("S3Uri"),
        constraints_uri=(baseline.get("ConstraintsResource") or {}).get("S3Uri"),
        stopping_condition=definition.get("StoppingCondition") or {}, network=definition.get("NetworkConfig") or {},
    )


def _app(spec: dict) -> dict:
    return {key: spec[key] for key in ("ImageUri", "ContainerEntrypoint", "ContainerArguments") if spec.get(key)}
