"""The baseline of what an endpoint serves: endpoint -> active endpoint config -> production
variant's model -> its `ModelPackageName` -> the package's `DriftCheckBaselines.ModelDataQuality`
(statistics and constraints URIs). The SageMaker client is passed in (boto3's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlops_core.monitoring.errors import (
    EndpointNotFound,
    MissingBaseline,
    MonitoringError,
)


@dataclass(frozen=True)
class Baseline:
    package_arn: str
    statistics_uri: str
    constraints_uri: str
    endpoint_config: str


def find_baseline(sagemaker: Any, *, endpoint: str, variant: str, model: str) -> Baseline:
    try:
        config_name = sagemaker.describe_endpoint(EndpointName=endpoint)["EndpointConfigName"]
    except sagemaker.exceptions.ClientError as error:
        if "Could not find endpoint" in str(error) or error.response["Error"]["Code"] == "ValidationException":
            raise EndpointNotFound(endpoint, model) from None
        raise
    config = sagemaker.describe_endpoint_config(EndpointConfigName=config_name)
    variants = {v["VariantName"]: v for v in config["ProductionVariants"]}
    chosen = variants.get(variant) or next(iter(variants.values()))
    container = sagemaker.describe_model(ModelName=chosen["ModelName"]).get("PrimaryContainer") or {}
    package = container.get("ModelPackageName")
    if not package:
        raise MonitoringError(f"model {chosen['ModelName']} behind endpoint {endpoint} was not created from a model "
                              "package (no PrimaryContainer.ModelPackageName), so it has no registered baseline")
    described = sagemaker.describe_model_package(ModelPackageName=package)
    quality = (described.get("DriftCheckBaselines") or {}).get("ModelDataQuality") or {}
    statistics = (quality.get("Statistics") or {}).get("S3Uri")
    constraints = (quality.get("Constraints") or {}).get("S3Uri")
    if not statistics or not constraints:
        raise MissingBaseline(package, "has no DriftCheckBaselines.ModelDataQuality Statistics and Constraints: "
                                       "register the model with its data-quality baseline (the training pipeline "
                                       "does) to monitor it for drift")
    return Baseline(described.get("ModelPackageArn", package), statistics, constraints, config_name)
