"""One embedded cloud for the serving tests, with two registered penguins models (a random forest
and a linear model) and SageMaker models created from their packages."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import boto3
import pytest
from botocore.config import Config

from mlops.localcloud.server import EmbeddedCloud
from mlops.localcloud.serving import FleetSpec
from tests.localcloud.serving import support

_names = itertools.count(1)


@pytest.fixture(scope="package")
def cloud(tmp_path_factory):
    with EmbeddedCloud(region="us-east-1", workdir=tmp_path_factory.mktemp("cloud")) as running:
        yield running


@pytest.fixture(scope="package")
def artifacts(cloud, tmp_path_factory) -> support.Artifacts:
    return support.upload_artifacts(cloud.client("s3"), "serving-artifacts", tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="package")
def models(cloud, artifacts) -> SimpleNamespace:
    """SageMaker models `forest` and `linear`, each from its own model package version."""
    sagemaker = cloud.client("sagemaker")
    packages = {name: support.register_package(sagemaker, "ServingTests-penguins", artifacts.model_urls[estimator],
                                               artifacts.source_url)
                for name, estimator in (("forest", "random_forest"), ("linear", "linear"))}
    for name, arn in packages.items():
        support.create_model_from_package(sagemaker, f"penguins-{name}", arn)
    return SimpleNamespace(forest="penguins-forest", linear="penguins-linear", packages=packages)


@pytest.fixture
def start(cloud):
    """start(model, variant=..., endpoint=..., **spec fields) -> a started Fleet, closed after the test.

    The endpoint config is created through the API first, as the control plane would have it."""
    fleets = []

    def _start(model: str, *, endpoint: str | None = None, variant: str = "AllTraffic", config: str | None = None,
               instance_count: int = 1, data_capture: dict | None = None, shadow: bool = False):
        config = config or f"cfg-{next(_names)}"
        request = {"EndpointConfigName": config, "ProductionVariants": [{
            "VariantName": variant, "ModelName": model, "InitialInstanceCount": instance_count,
            "InstanceType": "ml.m5.large"}]}
        if data_capture:
            request["DataCaptureConfig"] = data_capture
        cloud.client("sagemaker").create_endpoint_config(**request)
        fleet = cloud.fleets.start_fleet(FleetSpec(
            endpoint_name=endpoint or f"ep-{next(_names)}", endpoint_config_name=config, variant_name=variant,
            model_name=model, instance_type="ml.m5.large", instance_count=instance_count,
            data_capture=data_capture, shadow=shadow))
        fleets.append(fleet)
        return fleet

    yield _start
    for fleet in fleets:
        cloud.router.remove(fleet.spec.endpoint_name)
        fleet.close()


def runtime_client(cloud):
    """A sagemaker-runtime client that never retries: a failed request must show, not be retried away."""
    return boto3.client("sagemaker-runtime", endpoint_url=cloud.endpoint_url, region_name=cloud.region,
                        aws_access_key_id="local", aws_secret_access_key="local",
                        config=Config(retries={"total_max_attempts": 1}))


@pytest.fixture
def runtime(cloud):
    return runtime_client(cloud)
