"""The StartPipeline decision, without AWS: lookups are plain functions here."""

from __future__ import annotations

import pytest

from mlops_core.upload_routing import IGNORE, START, plan_upload
from mlops_core.uploads import UploadedObject

SETTINGS = {"model": "penguins", "target": "species", "problem_type": "classification"}


def _plan(key: str, models: dict | None = None, listed: list[str] | None = None, calls: list | None = None):
    configured = {"penguins": SETTINGS} if models is None else models

    def read_settings(model):
        if calls is not None:
            calls.append(model)
        return configured.get(model)

    upload = UploadedObject(bucket="data", key=key, version_id="v1", etag="e", size=10)
    return plan_upload(
        upload,
        read_settings=read_settings,
        list_models=lambda: listed if listed is not None else sorted(configured),
        artifacts_bucket="artifacts",
        poll_seconds=30,
    )


def test_known_model_and_csv_key_starts_a_training_run():
    plan = _plan("datasets/penguins/penguins.csv")
    assert (plan.action, plan.rejection) == (START, None)
    assert plan.execution_input["settings"] == SETTINGS


def test_folder_key_is_ignored_without_looking_up_settings():
    calls = []
    plan = _plan("datasets/penguins/", calls=calls)
    assert plan.action == IGNORE
    assert calls == []


def test_unknown_model_is_rejected():
    assert _plan("datasets/mystery/x.csv").rejection == "UnknownModel"


def test_unknown_model_cause_without_a_model_list_still_explains_the_folder_rule():
    plan = _plan("datasets/mystery/x.csv", listed=[])
    cause = plan.execution_input["rejection"]["cause"]
    assert "'mystery'" in cause and "datasets/<model>/" in cause


def test_unknown_model_wins_over_unsupported_file():
    assert _plan("datasets/mystery/x.parquet").rejection == "UnknownModel"


@pytest.mark.parametrize("key", ["datasets/penguins/x.parquet", "datasets/penguins/x.csv.gz", "datasets/penguins/csv"])
def test_non_csv_key_of_a_known_model_is_rejected_as_unsupported_file(key):
    assert _plan(key).rejection == "UnsupportedFile"


def test_rejection_run_id_is_the_execution_name():
    plan = _plan("datasets/mystery/x.csv")
    assert plan.execution_name == plan.execution_input["run_id"]
    assert plan.execution_name.startswith("up-mystery-")
