"""cdk-nag (AWS Solutions) and cfn-lint on the synthesized template."""

from __future__ import annotations

import json
from pathlib import Path

from cfnlint.api import ManualArgs, lint_file

# W3005 (DependsOn already implied by a GetAtt) is how CDK orders a function after its
# role's default policy; it is harmless and not ours to change.
ALLOWED_LINT_WARNINGS = {"W3005"}


def test_cdk_nag_reports_no_unacknowledged_finding(synthesized):
    # Synthesis itself fails on a finding; the report on disk must agree.
    report = json.loads((synthesized.outdir / "validation-report.json").read_text())
    failures = [r for r in report.get("pluginReports", []) if r.get("conclusion") != "success"]
    assert failures == []


def test_cfn_lint_finds_no_error_and_no_unexplained_warning(synthesized):
    matches = lint_file(Path(synthesized.outdir / "MlopsStack.template.json"), ManualArgs(regions=["us-east-1"]))
    problems = [f"{m.rule.id} {m.message}" for m in matches
                if m.rule.severity == "error"
                or (m.rule.severity == "warning" and m.rule.id not in ALLOWED_LINT_WARNINGS)]
    assert problems == []


def test_the_template_uses_only_the_expected_resource_types(synthesized):
    types = {resource["Type"] for resource in synthesized.template["Resources"].values()}
    assert types == {
        "AWS::KMS::Key", "AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::IAM::Role", "AWS::IAM::Policy",
        "AWS::Lambda::LayerVersion", "AWS::Lambda::Function", "AWS::Lambda::Permission", "AWS::Logs::LogGroup",
        "AWS::Events::Rule", "AWS::SQS::Queue", "AWS::SQS::QueuePolicy", "AWS::SSM::Parameter",
        "AWS::SageMaker::ModelPackageGroup", "AWS::StepFunctions::StateMachine", "AWS::CloudWatch::Alarm",
        "AWS::CloudWatch::Dashboard", "AWS::Scheduler::Schedule", "AWS::Scheduler::ScheduleGroup",
    }
    assert "Parameters" not in synthesized.template and "Rules" not in synthesized.template
