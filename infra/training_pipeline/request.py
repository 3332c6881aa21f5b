"""CheckRequest: an execution started for an unknown model, a non-CSV upload or a key the
pipeline cannot carry carries `$.rejection` (contracts.md) and fails at once, and so does one
for an object larger than the model's `validation.max_object_bytes`: the user sees why in the
execution list, and no Lambda or SageMaker job ever reads the object."""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.training_pipeline.common import CAUSE_PATH, failure
from mlops_core.upload_screening import UNSUPPORTED_KEY

REJECTIONS = {"UnsupportedFile": "RejectUnsupportedFile", UNSUPPORTED_KEY: "RejectUnsupportedKey"}
OBJECT_TOO_LARGE = "ObjectTooLarge"
SIZE = "$.data.size"
LIMIT = "$.settings.validation.max_object_bytes"


def check_request_stage(scope: Construct, *, next_state: sfn.IChainable) -> sfn.IChainable:
    unknown_model = sfn.Fail(scope, "RejectUnknownModel", error="UnknownModel", cause_path="$.rejection.cause")
    # Two Choices: `$.rejection.error` may only be read once `$.rejection` is known to exist.
    kind = sfn.Choice(scope, "RejectionKind")
    for error, state in REJECTIONS.items():
        kind.when(sfn.Condition.string_equals("$.rejection.error", error),
                  sfn.Fail(scope, state, error=error, cause_path="$.rejection.cause"))
    kind.otherwise(unknown_model)
    too_large = failure(scope, "ObjectTooLargeCause", error=OBJECT_TOO_LARGE, cause=(
        f"States.Format('The object is {{}} bytes, more than the {{}} bytes model {{}} accepts "
        f"(validation.max_object_bytes in the stack config): nothing was read. Upload a smaller file, or raise "
        f"the limit if the pipeline is sized for it.', {SIZE}, {LIMIT}, $.model)")
    ).next(sfn.Fail(scope, OBJECT_TOO_LARGE, error=OBJECT_TOO_LARGE, cause_path=CAUSE_PATH))
    # A size or a limit is absent only from hand-made inputs or older settings: no check then.
    oversized = sfn.Condition.and_(
        sfn.Condition.is_present(SIZE), sfn.Condition.is_numeric(SIZE),
        sfn.Condition.is_present(LIMIT), sfn.Condition.is_numeric(LIMIT),
        sfn.Condition.number_greater_than_json_path(SIZE, LIMIT),
    )
    return (
        sfn.Choice(scope, "CheckRequest")
        .when(sfn.Condition.is_present("$.rejection"), kind)
        .when(oversized, too_large)
        .otherwise(next_state)
    )
