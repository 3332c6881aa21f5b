"""FindChampion: the model's currently approved version, to re-score on the candidate's test
data. "Currently approved" is the newest Approved package of the model's group
(ListModelPackages, ModelApprovalStatus=Approved, newest first), as a deployment would pick.

Its package ARN and version land at `$.champion.package` (the evaluation job's `--champion`
argument) and its inference container at `$.champion.container` (ModelDataUrl is the model
artifact). Array items are taken with States.ArrayGetItem: JSONPath indexes are left out of
every definition (DESIGN.md, the embedded cloud's ASL limits).
"""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import catch_all, fail_state

LOOKUP_PATH = "$.champion_lookup"
CHAMPION_PATH = "$.champion"


def find_champion_stage(
    scope: Construct, *, list_resources: list[str], describe_resources: list[str],
    with_champion: sfn.IChainable, without_champion: sfn.IChainable,
) -> sfn.IChainable:
    failed = fail_state(scope, "EvaluationFailed")
    find = tasks.CallAwsService(
        scope, "FindChampion",
        service="sagemaker", action="listModelPackages", iam_resources=list_resources,
        parameters={
            "ModelPackageGroupName": sfn.JsonPath.string_at("$.settings.model_package_group"),
            "ModelApprovalStatus": "Approved",
            "SortBy": "CreationTime",
            "SortOrder": "Descending",
            "MaxResults": 1,
        },
        result_selector={
            "count": sfn.JsonPath.array_length(sfn.JsonPath.list_at("$.ModelPackageSummaryList")),
            "packages": sfn.JsonPath.list_at("$.ModelPackageSummaryList"),
        },
        result_path=LOOKUP_PATH,
    )
    pick = sfn.Pass(
        scope, "PickChampion",
        parameters={"summary": sfn.JsonPath.array_get_item(sfn.JsonPath.list_at(f"{LOOKUP_PATH}.packages"), 0)},
        result_path=LOOKUP_PATH,
    )
    describe = tasks.CallAwsService(
        scope, "DescribeChampion",
        service="sagemaker", action="describeModelPackage", iam_resources=describe_resources,
        parameters={"ModelPackageName": sfn.JsonPath.string_at(f"{LOOKUP_PATH}.summary.ModelPackageArn")},
        result_selector={
            "package": {
                "model_package_arn": sfn.JsonPath.string_at("$.ModelPackageArn"),
                "version": sfn.JsonPath.number_at("$.ModelPackageVersion"),
            },
            "container": sfn.JsonPath.array_get_item(
                sfn.JsonPath.list_at("$.InferenceSpecification.Containers"), 0),
        },
        result_path=CHAMPION_PATH,
    )
    catch_all(find, failed)
    catch_all(describe, failed)
    found = (sfn.Choice(scope, "ChampionFound")
             .when(sfn.Condition.number_greater_than(f"{LOOKUP_PATH}.count", 0), pick.next(describe).next(with_champion))
             .otherwise(without_champion))
    return find.next(found)
