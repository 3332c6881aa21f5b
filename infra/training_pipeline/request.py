"""CheckRequest: an execution started for an unknown model or a non-CSV upload carries
`$.rejection` (contracts.md) and fails at once, so the user sees why in the execution list."""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct


def check_request_stage(scope: Construct, *, next_state: sfn.IChainable) -> sfn.IChainable:
    unknown_model = sfn.Fail(scope, "RejectUnknownModel", error="UnknownModel", cause_path="$.rejection.cause")
    unsupported_file = sfn.Fail(scope, "RejectUnsupportedFile", error="UnsupportedFile",
                                cause_path="$.rejection.cause")
    # Two Choices: `$.rejection.error` may only be read once `$.rejection` is known to exist.
    kind = (
        sfn.Choice(scope, "RejectionKind")
        .when(sfn.Condition.string_equals("$.rejection.error", "UnsupportedFile"), unsupported_file)
        .otherwise(unknown_model)
    )
    return (
        sfn.Choice(scope, "CheckRequest")
        .when(sfn.Condition.is_present("$.rejection"), kind)
        .otherwise(next_state)
    )
