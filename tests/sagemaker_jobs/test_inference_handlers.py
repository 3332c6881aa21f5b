"""sagemaker_jobs/inference.py: the SageMaker scikit-learn serving functions."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sagemaker_jobs import inference

FEATURES = "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year"
GENTOO = "Biscoe,47.5,14.2,215,5000,female,2008"
ADELIE = "Torgersen,38.9,17.8,181,3625,female,2007"


@pytest.fixture(scope="module")
def model(penguins_model):
    return inference.model_fn(str(penguins_model.model))


@pytest.fixture(scope="module")
def regressor(diabetes_model):
    return inference.model_fn(str(diabetes_model.model))


def invoke(model, body, content_type="text/csv", accept="application/json"):
    prediction = inference.predict_fn(inference.input_fn(body, content_type), model)
    return inference.output_fn(prediction, accept)


def predictions(model, body, content_type="text/csv") -> list:
    return json.loads(invoke(model, body, content_type)[0])["predictions"]


def test_csv_with_header_round_trip(model):
    body, content_type = invoke(model, f"{FEATURES}\n{GENTOO}\n{ADELIE}\n".encode(), accept="text/csv")
    assert (body, content_type) == ("Gentoo\nAdelie\n", "text/csv")


def test_headerless_csv_uses_model_card_feature_order(model):
    assert predictions(model, f"{GENTOO}\n{ADELIE}\n") == ["Gentoo", "Adelie"]


def test_headerless_csv_with_target_column_is_tolerated(model):
    assert predictions(model, f"Adelie,{GENTOO}\n") == ["Gentoo"]


def test_header_with_target_and_shuffled_columns(model):
    body = "year,sex,species,island,body_mass_g,flipper_length_mm,bill_depth_mm,bill_length_mm\n"
    body += "2008,female,?,Biscoe,5000,215,14.2,47.5\n"
    assert predictions(model, body) == ["Gentoo"]


def test_json_instances_give_labelled_probabilities(model):
    record = dict(zip(FEATURES.split(","), GENTOO.split(",")))
    document = json.loads(invoke(model, json.dumps({"instances": [record]}), "application/json")[0])
    assert document["predictions"] == ["Gentoo"]
    (probabilities,) = document["probabilities"]
    assert set(probabilities) == {"Adelie", "Chinstrap", "Gentoo"}
    assert sum(probabilities.values()) == pytest.approx(1.0)
    assert max(probabilities, key=probabilities.get) == "Gentoo"


def test_json_list_of_records_with_native_types(model):
    record = {"island": "Biscoe", "bill_length_mm": 47.5, "bill_depth_mm": 14.2,
              "flipper_length_mm": 215, "body_mass_g": 5000, "sex": "female", "year": 2008}
    assert predictions(model, json.dumps([record]), "application/json; charset=utf-8") == ["Gentoo"]


def test_json_rows_in_feature_order(model):
    assert predictions(model, json.dumps([GENTOO.split(",")]), "application/json") == ["Gentoo"]


def test_unknown_category_and_missing_values_still_predict(model):
    assert len(predictions(model, f"{FEATURES}\nAtlantis,47.5,,215,NA,,2008\n")) == 1


def test_regression_answers_numbers_without_probabilities(regressor, diabetes_model):
    row = pd.read_csv(diabetes_model.test / "test.csv").drop(columns="target").iloc[:2]
    document = json.loads(invoke(regressor, row.to_csv(index=False))[0])
    assert set(document) == {"predictions"}
    assert all(isinstance(value, float) for value in document["predictions"])


def test_any_accept_means_json(model):
    assert invoke(model, GENTOO, accept="*/*")[1] == "application/json"


def test_unsupported_content_type_is_415(model):
    with pytest.raises(inference.UnsupportedContentType, match="'text/plain'") as raised:
        inference.input_fn(GENTOO, "text/plain")
    assert raised.value.status_code == 415


def test_unsupported_accept_is_named(model):
    prediction = inference.predict_fn(inference.input_fn(GENTOO, "text/csv"), model)
    with pytest.raises(inference.UnsupportedContentType, match="'application/x-parquet'"):
        inference.output_fn(prediction, "application/x-parquet")


def test_missing_columns_are_named_400(model):
    request = inference.input_fn("island,sex,year\nBiscoe,male,2008\n", "text/csv")
    with pytest.raises(inference.InvalidInput) as raised:
        inference.predict_fn(request, model)
    assert raised.value.status_code == 400
    assert "Missing column(s): bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g" in str(raised.value)


def test_missing_json_keys_are_named(model):
    request = inference.input_fn(json.dumps([{"island": "Biscoe"}]), "application/json")
    with pytest.raises(inference.InvalidInput, match="Missing column.*sex"):
        inference.predict_fn(request, model)


def test_non_numeric_value_names_the_column(model):
    request = inference.input_fn("Biscoe,forty,14.2,215,5000,female,2008", "text/csv")
    with pytest.raises(inference.InvalidInput, match=r"bill_length_mm \(got 'forty'\)"):
        inference.predict_fn(request, model)


def test_wrong_number_of_headerless_columns_lists_the_expected_order(model):
    request = inference.input_fn("Biscoe,47.5\n", "text/csv")
    with pytest.raises(inference.InvalidInput, match=f"Expected 7 columns in this order: {FEATURES.replace(',', ', ')}"):
        inference.predict_fn(request, model)


@pytest.mark.parametrize("body, content_type, message", [
    (b"", "text/csv", "body is empty"),
    (b"{not json", "application/json", "not valid JSON"),
    (b'{"island": "Biscoe"}', "application/json", 'must be {"instances": \\[...\\]}'),
    (b'{"instances": []}', "application/json", "non-empty list of records"),
    (b"\xff\xfe", "text/csv", "not UTF-8"),
])
def test_malformed_bodies_are_400(body, content_type, message):
    with pytest.raises(inference.InvalidInput, match=message):
        inference.input_fn(body, content_type)


def test_serving_needs_only_the_inference_modules(penguins_model, tmp_path):
    """The endpoint loads the model with inference.py, its two helpers and the missing-value
    spellings of mlops_core (all in the job archive): no training code."""
    jobs = Path(inference.__file__).parent
    for name in ("inference.py", "model_card.py", "table_schema.py"):
        shutil.copy(jobs / name, tmp_path / name)
    (tmp_path / "mlops_core").mkdir()
    for name in ("__init__.py", "missing_values.py"):
        shutil.copy(jobs.parent / "mlops_core" / name, tmp_path / "mlops_core" / name)
    script = (
        "import sys; sys.path.insert(0, '.')  # the container puts the code folder on the path\n"
        "import inference\n"
        f"m = inference.model_fn({str(penguins_model.model)!r})\n"
        f"r = inference.predict_fn(inference.input_fn({GENTOO!r}, 'text/csv'), m)\n"
        "print(inference.output_fn(r, 'text/csv')[0], end='')\n"
    )
    done = subprocess.run([sys.executable, "-I", "-c", script], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, "Gentoo\n"), done.stderr
