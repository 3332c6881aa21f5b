"""AWS::SageMaker::ModelPackageGroup."""

from __future__ import annotations

from mlops.localcloud.resources.base import Context, Created, drop_none, handler, tag_list


def create_model_package_group(ctx: Context, logical_id: str, props: dict) -> Created:
    sagemaker = ctx.client("sagemaker")
    name = props["ModelPackageGroupName"]
    sagemaker.create_model_package_group(
        ModelPackageGroupName=name,
        **drop_none(ModelPackageGroupDescription=props.get("ModelPackageGroupDescription"),
                    Tags=tag_list(props["Tags"]) if props.get("Tags") else None),
    )
    if props.get("ModelPackageGroupPolicy"):
        ctx.warn(f"{logical_id} (AWS::SageMaker::ModelPackageGroup): ModelPackageGroupPolicy is not applied "
                 "in the embedded cloud")
    group = sagemaker.describe_model_package_group(ModelPackageGroupName=name)
    arn = group["ModelPackageGroupArn"]
    return Created(arn, {
        "ModelPackageGroupArn": arn,
        "CreationTime": group["CreationTime"].isoformat(),
        "ModelPackageGroupStatus": group["ModelPackageGroupStatus"],
    })


HANDLERS = {
    "AWS::SageMaker::ModelPackageGroup": handler(
        create_model_package_group,
        attributes=("ModelPackageGroupArn", "CreationTime", "ModelPackageGroupStatus"),
        properties=("ModelPackageGroupName", "ModelPackageGroupDescription", "Tags", "ModelPackageGroupPolicy"),
    ),
}
