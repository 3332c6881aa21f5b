"""The data contract: where it comes from (the user's wins), how it is established, and how
its Model Monitor violations become problems or warnings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mlops_core.contracts import Contract, ContractError, contract_problems, establish_constraints, load_contract
from mlops_core.data_quality import compute_statistics
from mlops_core.validation_settings import ValidationSettings

PENGUINS = pd.read_csv(Path(__file__).resolve().parents[2] / "data" / "penguins.csv")
STATS = compute_statistics(PENGUINS, target="species")
USER, OURS = "s3://data/contracts/m/", "s3://art/models/m/contract/"


def _load(files: dict[str, object]) -> Contract | None:
    return load_contract(files.get, user_prefix=USER, established_prefix=OURS, target="species")


def _constraints(*names: str) -> dict:
    return {"features": [{"name": name, "inferred_type": "String"} for name in names]}


def test_no_files_means_no_contract_yet():
    assert _load({}) is None


def test_the_user_contract_wins_over_the_established_one():
    contract = _load({USER + "constraints.json": _constraints("a"), OURS + "constraints.json": _constraints("b"),
                      OURS + "statistics.json": STATS})
    assert (contract.origin, contract.constraints_uri, contract.baseline) == ("user", USER + "constraints.json", None)


def test_the_established_contract_comes_with_its_baseline():
    contract = _load({OURS + "constraints.json": _constraints("a"), OURS + "statistics.json": STATS})
    assert contract.origin == "established" and contract.baseline["dataset"]["item_count"] == 344


def test_a_target_listed_in_a_user_contract_is_left_to_the_training_checks():
    contract = _load({USER + "constraints.json": _constraints("species", "island")})
    assert [f["name"] for f in contract.constraints["features"]] == ["island"]


@pytest.mark.parametrize("document", [[], {"features": "x"}, {"features": [{"type": "String"}]}])
def test_a_malformed_contract_is_an_error_naming_the_file(document):
    with pytest.raises(ContractError, match="contracts/m/constraints.json"):
        _load({USER + "constraints.json": document})


def test_an_established_contract_relaxes_completeness_by_the_tolerance():
    constraints = establish_constraints(STATS, ValidationSettings(completeness_tolerance=0.1, drift_threshold=0.2))
    sex = next(f for f in constraints["features"] if f["name"] == "sex")
    assert sex["completeness"] == pytest.approx(333 / 344 - 0.1, abs=1e-6)
    distribution = constraints["monitoring_config"]["distribution_constraints"]
    assert distribution["comparison_threshold"] == 0.2
    assert constraints["monitoring_config"]["domain_content_threshold"] == pytest.approx(0.9)


def _against_contract(frame: pd.DataFrame, limits: ValidationSettings):
    contract = Contract("established", OURS, establish_constraints(STATS, limits), STATS)
    return contract_problems(compute_statistics(frame, target="species"), contract, limits)


def test_a_few_missing_values_more_than_the_first_dataset_are_accepted():
    frame = PENGUINS.copy()
    frame.loc[:20, "sex"] = None  # 85% complete instead of 97%
    assert _against_contract(frame, ValidationSettings())[0] == []


def test_drift_warns_unless_configured_to_reject():
    drifted = PENGUINS.assign(body_mass_g=PENGUINS["body_mass_g"] + 1000)
    problems, warnings, violations = _against_contract(drifted, ValidationSettings())
    assert problems == [] and [(w.check, w.column) for w in warnings] == [("baseline_drift_check", "body_mass_g")]
    assert violations[0]["description"].startswith("distance: ")
    problems, warnings, _ = _against_contract(drifted, ValidationSettings(reject_drift=True))
    assert [(p.check, p.column) for p in problems] == [("baseline_drift_check", "body_mass_g")] and warnings == []


def test_some_new_categories_pass_a_flood_does_not():
    some = PENGUINS.copy()
    some.loc[:10, "island"] = "Anvers"  # 3% new
    assert _against_contract(some, ValidationSettings())[0] == []
    flood = PENGUINS.assign(island=[f"Island {i}" for i in range(len(PENGUINS))])
    problems = _against_contract(flood, ValidationSettings())[0]
    assert [(p.check, p.column) for p in problems] == [("categorical_values_check", "island")]
