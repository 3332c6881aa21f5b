"""docs/SECURITY.md says what the template does: its who-can-do-what section is the table
`infra/access_table.py` renders from the synthesized template, and its encryption table names
every kind of resource that stores data."""

from __future__ import annotations

import os
from pathlib import Path

from infra.access_table import render, replace_section, section_of

DOC = Path(__file__).resolve().parents[2] / "docs" / "SECURITY.md"
STORING_TYPES = {"AWS::S3::Bucket": "S3", "AWS::Logs::LogGroup": "CloudWatch Logs", "AWS::SQS::Queue": "SQS",
                 "AWS::SSM::Parameter": "SSM", "AWS::Lambda::Function": "Lambda",
                 "AWS::StepFunctions::StateMachine": "Step Functions", "AWS::SNS::Topic": "SNS"}


def _table(synthesized) -> str:
    groups = sorted({m.model_package_group_name for m in synthesized.config.models})
    return render(synthesized.template, models=[m.name for m in synthesized.config.models], groups=groups)


def test_who_can_do_what_is_what_the_template_grants(synthesized):
    expected, document = _table(synthesized), DOC.read_text()
    if os.environ.get("UPDATE_SECURITY_DOC") == "1":
        DOC.write_text(replace_section(document, expected))
        document = DOC.read_text()
    assert section_of(document) == expected, (
        "docs/SECURITY.md's access table differs from the template: rerun with UPDATE_SECURITY_DOC=1 and review "
        "the change")


def test_every_role_of_the_template_is_in_the_doc(synthesized):
    section = section_of(DOC.read_text())
    for logical_id in synthesized.resources("AWS::IAM::Role"):
        assert f"**{logical_id[:-8]}**" in section, logical_id


def test_the_encryption_table_covers_every_kind_of_resource_that_stores_data(synthesized):
    table = DOC.read_text().partition("## What is encrypted with what")[2].partition("\n## ")[0]
    present = {t for t in (r["Type"] for r in synthesized.template["Resources"].values()) if t in STORING_TYPES}
    assert present, "the template stores data somewhere"
    for resource_type in present | {"AWS::SNS::Topic"}:
        assert STORING_TYPES[resource_type] in table, resource_type
    for key in ("StorageKey", "EncryptionLogsKey"):
        assert synthesized.logical_id("AWS::KMS::Key", key) and key in table


def test_the_doc_is_linked_from_the_readme():
    readme = (DOC.parents[1] / "README.md").read_text()
    assert "docs/SECURITY.md" in readme
