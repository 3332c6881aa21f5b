"""What the stages of the training state machine share (JSONPath only, no `.sync`)."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_stepfunctions as sfn

FAILURE_PATH = "$.failure"
CAUSE_PATH = "$.failure.Cause"


@dataclass(frozen=True, kw_only=True)
class JobNetwork:
    """Where jobs run when the stack has a VPC (infra/network.py): SageMaker's VpcConfig."""

    subnet_ids: list[str]
    security_group_ids: list[str]

    def vpc_config(self) -> dict:
        return {"SecurityGroupIds": list(self.security_group_ids), "Subnets": list(self.subnet_ids)}


@dataclass(frozen=True, kw_only=True)
class JobSettings:
    """Deploy-time values the SageMaker requests need (tokens are fine)."""

    role_arn: str
    training_image: str
    inference_image: str
    output_key_arn: str
    source_url: str  # s3:// URL of sourcedir.tar.gz
    # The job archive's content hash: registered as the model's code version (CommitId).
    code_version: str = "unknown"
    # Encrypts every job's ML storage volume (VolumeKmsKeyId), as output_key_arn its outputs.
    volume_key_arn: str
    network: JobNetwork | None = None  # None: no VPC (jobs still run network-isolated)


def fail_state(scope, name: str) -> sfn.Fail:
    """A stage's Fail state: state name = error name, cause read from `$.failure.Cause`.
    Several fragments may end in the same one (e.g. recording accepted data is part of
    preparation), so an existing Fail of that name is reused."""
    existing = scope.node.try_find_child(name)
    if isinstance(existing, sfn.Fail):
        return existing
    return sfn.Fail(scope, name, error=name, cause_path=CAUSE_PATH)


def catch_all(task: sfn.TaskStateBase, handler: sfn.IChainable) -> None:
    """Every error of `task` goes to `handler` with {Error, Cause} at `$.failure`."""
    task.add_catch(handler, errors=[sfn.Errors.ALL], result_path=FAILURE_PATH)


def failure(scope, name: str, *, error: str, cause: str) -> sfn.Pass:
    """A Pass writing {Error, Cause} to `$.failure`; `cause` is a JSONPath or an intrinsic."""
    return sfn.Pass(scope, name, parameters={"Error": error, "Cause.$": cause}, result_path=FAILURE_PATH)


def poll_wait(scope, name: str) -> sfn.Wait:
    """Wait the execution input's `poll_seconds` between Describe calls."""
    return sfn.Wait(scope, name, time=sfn.WaitTime.seconds_path("$.poll_seconds"))


def job_tags() -> list[dict[str, str]]:
    """Tags tracing every job and model to its model, run and exact data version."""
    return [
        {"Key": "mlops:model", "Value.$": "$.model"},
        {"Key": "mlops:run-id", "Value.$": "$.run_id"},
        {"Key": "mlops:data-version-id", "Value.$": "$.data.version_id"},
    ]



def sagemaker_job_loop(
    scope,
    *,
    kind: str,
    create: sfn.TaskStateBase,
    describe: sfn.TaskStateBase,
    result_path: str,
    status_field: str,
    job_name_path: str,
    failed: sfn.Fail,
    next_state: sfn.IChainable,
    alternatives: tuple[sfn.TaskStateBase, ...] = (),
    exit_message: bool = False,
) -> sfn.IChainable:
    """create -> Wait -> describe (into `result_path`) -> Choice on its `status_field`:
    Completed goes on to `next_state`; Failed/Stopped are normalised into `$.failure` (the
    job's FailureReason when it has one) and end in `failed`; anything else waits again.
    `kind` names the states: WaitFor<kind>, <kind>Status, <kind>FailureReason, ...
    `alternatives`: other Create states of the same job (say, with one more input); they are
    entered from elsewhere and join the same Wait/Describe loop.
    `exit_message`: a Processing job whose script leaves its reason in /opt/ml/output/message
    (sagemaker_jobs/job_errors.py). SageMaker shows it as ExitMessage; FailureReason is SageMaker's
    own summary (for a script error, an AlgorithmError pointing at the logs), so an ExitMessage is
    the cause when there is one."""
    status = f"{result_path}.{status_field}"
    reason = f"{result_path}.FailureReason"
    ended = sfn.Condition.or_(sfn.Condition.string_equals(status, "Failed"),
                              sfn.Condition.string_equals(status, "Stopped"))
    with_reason = failure(scope, f"{kind}FailureReason", error=failed.state_id, cause=reason).next(failed)
    without_reason = failure(
        scope, f"{kind}FailureStatus", error=failed.state_id,
        cause=f"States.Format('SageMaker job {{}} ended with status {{}}', {job_name_path}, {status})",
    ).next(failed)
    wait = poll_wait(scope, f"WaitFor{kind}")
    choice = sfn.Choice(scope, f"{kind}Status").when(sfn.Condition.string_equals(status, "Completed"), next_state)
    if exit_message:
        message = f"{result_path}.ExitMessage"
        choice.when(sfn.Condition.and_(ended, sfn.Condition.is_present(message)),
                    failure(scope, f"{kind}ExitMessage", error=failed.state_id, cause=message).next(failed))
    choice = (
        choice
        .when(sfn.Condition.and_(ended, sfn.Condition.is_present(reason)), with_reason)
        .when(ended, without_reason)
        .otherwise(wait)
    )
    catch_all(create, failed)
    catch_all(describe, failed)
    for alternative in alternatives:
        catch_all(alternative, failed)
        alternative.next(wait)
    return create.next(wait).next(describe).next(choice)
