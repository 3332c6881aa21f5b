"""FindEndpoint: does the model's endpoint exist, and may it be updated now?

DescribeEndpoint -> not found (SageMaker answers a ValidationException "Could not find
endpoint ...") -> the first deployment creates it (create.py). Found -> while it is Creating,
Updating, SystemUpdating or RollingBack (another deployment in flight) wait and look again;
InService -> the blue/green update path; anything else (Failed, OutOfService,
UpdateRollbackFailed, Deleting) cannot be updated: DeploymentFailed, saying what to do.
"""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.deployment_pipeline.common import (
    ACTIVE_CONFIG,
    STATUS,
    Arns,
    describe_endpoint,
    failure,
    in_flight,
    poll_wait,
)
from infra.deployment_pipeline.outcome import DEPLOYMENT_FAILED, Endings

LOOKUP = "$.endpoint_lookup"
NOT_FOUND = "*Could not find endpoint*"


def find_endpoint_stage(scope: Construct, *, arns: Arns, endings: Endings, create: sfn.IChainable,
                        update: sfn.IChainable) -> sfn.IChainable:
    find = describe_endpoint(scope, "FindEndpoint", arns)
    lookup_failed = failure(scope, "EndpointLookupFailed", error=DEPLOYMENT_FAILED,
                            cause=f"{LOOKUP}.Cause").next(endings.record_failure)
    missing = (sfn.Choice(scope, "EndpointMissing")
               .when(sfn.Condition.and_(sfn.Condition.is_present(f"{LOOKUP}.Cause"),
                                        sfn.Condition.string_matches(f"{LOOKUP}.Cause", NOT_FOUND)), create)
               .otherwise(lookup_failed))
    find.add_catch(missing, errors=[sfn.Errors.ALL], result_path=LOOKUP)
    unusable = failure(scope, "EndpointUnusable", error=DEPLOYMENT_FAILED, cause=(
        "States.Format('Endpoint {} is {} (endpoint config {}) and cannot be updated. Repair or delete it "
        "(aws sagemaker delete-endpoint --endpoint-name {}), then approve the version again.', "
        f"$.names.endpoint, {STATUS}, {ACTIVE_CONFIG}, $.names.endpoint)")).next(endings.record_failure)
    # The config serving before this deployment: a shadow test and its rejection return to it.
    remember = sfn.Pass(scope, "RememberActiveConfig", parameters={"endpoint_config.$": ACTIVE_CONFIG},
                        result_path="$.previous").next(update)
    wait = poll_wait(scope, "WaitForOtherDeployment")
    status = (sfn.Choice(scope, "EndpointStatus")
              .when(in_flight(), wait)
              .when(sfn.Condition.string_equals(STATUS, "InService"), remember)
              .otherwise(unusable))
    wait.next(find)
    return find.next(status)
