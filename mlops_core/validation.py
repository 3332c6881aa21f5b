"""Judge a profiled dataset: training checks, then the model's data contract.

Pure: a ``DataProfile`` and the contract in, a ``Verdict`` out (the ValidateData result and
the files written next to the data version). Reading and writing S3 is validation_run's.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlops_core.contracts import Contract, contract_problems, establish_constraints
from mlops_core.data_profile import DataProfile
from mlops_core.settings import DataSettings
from mlops_core.training_checks import training_problems
from mlops_core.validation_report import Problem, ValidationReport


@dataclass(frozen=True)
class Verdict:
    report: ValidationReport
    constraints: dict | None  # constraints.json suggested from this data version
    violations: dict  # constraint_violations.json: every problem and warning
    establish: bool  # this dataset becomes the model's data contract


def judge(profile: DataProfile, *, settings: DataSettings, contract: Contract | None, source: str,
          contract_error: str | None = None, expected_bytes: int | None = None,
          report_uri: str | None = None) -> Verdict:
    """``contract_error``: the user's contract exists but cannot be read (it must be fixed, not
    replaced by a new one); ``expected_bytes``: the uploaded version's size, when the profile
    was made from a copy that could be a newer version of the key (the Processing job reads by
    key, not version)."""
    limits = settings.validation
    problems, warnings = list(profile.problems), []
    if contract_error is not None:
        problems.append(Problem("contract_invalid", None, contract_error))
    if not problems and expected_bytes is not None and profile.bytes_read != expected_bytes:
        problems.append(Problem("object_changed", None, (
            f"the validation job read {profile.bytes_read} bytes, the uploaded version has {expected_bytes}: "
            "the object was overwritten after this upload; the newer version is validated by its own run")))
    readable = not problems  # else the statistics are of nothing or of another version
    if readable and profile.training is not None:
        problems += training_problems(profile.training, target=settings.target, limits=limits)
    if readable and profile.statistics is not None and contract is not None:
        rejecting, warnings, _ = contract_problems(profile.statistics, contract, limits)
        problems += rejecting
    constraints = establish_constraints(profile.statistics, limits) if profile.statistics is not None else None
    establish = contract is None and contract_error is None and constraints is not None and not problems
    report = ValidationReport(
        source=source, rows=profile.rows, columns=profile.columns, problems=problems, warnings=warnings,
        facts=_facts(profile, settings, contract, establish), contract=_contract_info(contract, establish),
        report_uri=report_uri,
    )
    return Verdict(report=report, constraints=constraints, violations=_violations(problems + warnings),
                   establish=establish)


def _facts(profile: DataProfile, settings: DataSettings, contract: Contract | None, establish: bool) -> list[str]:
    facts = []
    training = profile.training
    if training is not None:
        fact = f"target '{settings.target}' has {training.labelled_rows} values ({training.target_missing} missing)"
        if training.class_counts:
            fact += f" in {len(training.class_counts)} classes"
        facts.append(fact)
    if contract is not None:
        facts.append(f"matches the {contract.origin} data contract {contract.constraints_uri}")
    elif establish:
        facts.append("first accepted dataset of the model: it establishes the data contract")
    return facts


def _contract_info(contract: Contract | None, establish: bool) -> dict:
    if contract is not None:
        return {"origin": contract.origin, "constraints": contract.constraints_uri}
    return {"origin": "new" if establish else "none", "constraints": None}


def _violations(problems: list[Problem]) -> dict:
    # Model Monitor's shape for every finding, so one file tells the whole story; the contract
    # checks keep Model Monitor's own check types and descriptions.
    return {"violations": [
        {"feature_name": problem.column, "constraint_check_type": problem.check, "description": problem.message}
        for problem in problems
    ]}
