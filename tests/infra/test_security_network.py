"""The optional VPC (`network.vpc.enabled`): the same two-model app synthesized with it on.
Private isolated subnets only, the endpoints the stack needs, every Lambda and job inside,
behind one security group; with it off (tests/infra's default synth) there is no EC2 at all."""

from __future__ import annotations

import json

import pytest

from tests.infra.conftest import TWO_MODELS, Synthesized
from tests.infra.helpers import as_list, policy_statements

ENDPOINT_SERVICES = {"sagemaker.api", "sagemaker.runtime", "sts", "logs", "monitoring", "kms", "ssm", "states"}


@pytest.fixture(scope="module")
def with_vpc(source_root, tmp_path_factory) -> Synthesized:
    import aws_cdk as cdk

    from infra import application
    from mlops.config import parse_config

    config = parse_config({**TWO_MODELS, "network": {"vpc": {"enabled": True, "cidr": "10.20.0.0/16"}}})
    outdir = tmp_path_factory.mktemp("cdk.out.vpc")
    app = cdk.App(outdir=str(outdir))
    application.configure(app)
    application.build(app, config, source_root=source_root)
    app.synth()  # cdk-nag: no unacknowledged finding with the VPC either
    template = json.loads((outdir / f"{config.stack_name}.template.json").read_text())
    return Synthesized(outdir=outdir, template=template, config=config)


def test_without_the_option_there_is_no_network_at_all(synthesized):
    assert not [t for t in (r["Type"] for r in synthesized.template["Resources"].values()) if t.startswith("AWS::EC2::")]


def test_the_vpc_has_private_isolated_subnets_only(with_vpc):
    types = [r["Type"] for r in with_vpc.template["Resources"].values()]
    assert "AWS::EC2::InternetGateway" not in types and "AWS::EC2::NatGateway" not in types
    [vpc] = with_vpc.resources("AWS::EC2::VPC").values()
    assert vpc["Properties"]["CidrBlock"] == "10.20.0.0/16"
    subnets = with_vpc.resources("AWS::EC2::Subnet").values()
    assert len(subnets) == 2 and all(s["Properties"]["MapPublicIpOnLaunch"] is False for s in subnets)
    routes = with_vpc.resources("AWS::EC2::Route")
    assert routes == {}  # no route out: only the endpoints are reachable


def test_interface_endpoints_for_every_aws_api_the_stack_calls_and_an_s3_gateway(with_vpc):
    endpoints = with_vpc.resources("AWS::EC2::VPCEndpoint").values()
    names = [json.dumps(e["Properties"]["ServiceName"]) for e in endpoints]
    interface = {e for e in ENDPOINT_SERVICES if any(f".{e}\"" in n or n.endswith(f".{e}\"") for n in names)}
    assert interface == ENDPOINT_SERVICES
    types = {e["Properties"].get("VpcEndpointType") for e in endpoints}
    assert types == {"Interface", "Gateway"}
    [gateway] = [e for e in endpoints if e["Properties"].get("VpcEndpointType") == "Gateway"]
    assert "s3" in json.dumps(gateway["Properties"]["ServiceName"])
    assert all(e["Properties"]["PrivateDnsEnabled"] is True for e in endpoints
               if e["Properties"].get("VpcEndpointType") == "Interface")


def test_endpoints_accept_https_from_the_workloads_only(with_vpc):
    groups = with_vpc.resources("AWS::EC2::SecurityGroup")
    endpoints = with_vpc.logical_id("AWS::EC2::SecurityGroup", "NetworkEndpoints")
    workloads = with_vpc.logical_id("AWS::EC2::SecurityGroup", "NetworkWorkloads")
    ingress = [r["Properties"] for r in with_vpc.resources("AWS::EC2::SecurityGroupIngress").values()
               if r["Properties"]["GroupId"] == {"Fn::GetAtt": [endpoints, "GroupId"]}]
    assert ingress == [{"Description": "HTTPS from the pipeline's workloads", "FromPort": 443, "ToPort": 443,
                        "IpProtocol": "tcp", "GroupId": {"Fn::GetAtt": [endpoints, "GroupId"]},
                        "SourceSecurityGroupId": {"Fn::GetAtt": [workloads, "GroupId"]}}]
    assert "SecurityGroupIngress" not in groups[endpoints]["Properties"]


def test_every_lambda_function_runs_in_the_subnets_behind_the_workload_group(with_vpc):
    workloads = with_vpc.logical_id("AWS::EC2::SecurityGroup", "NetworkWorkloads")
    subnets = [{"Ref": s} for s in with_vpc.resources("AWS::EC2::Subnet")]
    for logical_id, function in with_vpc.resources("AWS::Lambda::Function").items():
        config = function["Properties"]["VpcConfig"]
        assert config["SecurityGroupIds"] == [{"Fn::GetAtt": [workloads, "GroupId"]}], logical_id
        assert sorted(map(json.dumps, config["SubnetIds"])) == sorted(map(json.dumps, subnets)), logical_id


def test_every_sagemaker_job_runs_in_the_subnets(with_vpc):
    machine = with_vpc.resource("AWS::StepFunctions::StateMachine", "TrainingPipeline")
    text = json.dumps(machine["Properties"]["DefinitionString"])
    for state in ("CreateTrainingJob", "CreateTuningJob", "CreateEvaluationJob", "CreateValidationJob",
                  "CreatePreparationJob"):
        assert f'\\"{state}\\"' in text
    # Each of the six job requests names the subnets and the security group.
    assert text.count("VpcConfig") == 6 and text.count("SecurityGroupIds") == 6


def test_roles_may_attach_network_interfaces_only_in_the_stacks_subnets(with_vpc):
    for role in ("StartPipelineRole", "SageMakerExecutionRole"):
        creates = [s for s in policy_statements(with_vpc, role) if "ec2:CreateNetworkInterface" in as_list(s["Action"])]
        assert len(creates) == 1, role
        resources = json.dumps(creates[0]["Resource"])
        assert "network-interface/*" in resources and ":subnet/" in resources and ":security-group/" in resources


def test_flow_logs_of_all_traffic_go_to_the_access_log_bucket(with_vpc):
    [flow] = with_vpc.resources("AWS::EC2::FlowLog").values()
    bucket = with_vpc.logical_id("AWS::S3::Bucket", "StorageAccessLogs")
    assert flow["Properties"]["TrafficType"] == "ALL"
    assert flow["Properties"]["LogDestinationType"] == "s3"
    assert bucket in json.dumps(flow["Properties"]["LogDestination"])


def test_the_security_checks_hold_with_the_vpc_too(with_vpc):
    from tests.infra.test_security_iam import identity_statements
    from infra.iam_exceptions import may_use_any_resource

    unlisted = {action for _, s in identity_statements(with_vpc.template) if "*" in as_list(s["Resource"])
                for action in as_list(s["Action"]) if not may_use_any_resource(action)}
    assert unlisted == set()
    assert all(g["Properties"].get("KmsKeyId") for g in with_vpc.resources("AWS::Logs::LogGroup").values())


def test_checkov_finds_nothing_on_the_template_with_the_vpc(with_vpc):
    from tests.infra.test_security_checkov import failed_checks, run_checkov

    assert failed_checks(run_checkov(with_vpc.outdir / "MlopsStack.template.json")) == []


def test_cfn_lint_finds_no_error_in_the_template_with_the_vpc(with_vpc):
    from cfnlint.api import ManualArgs, lint_file

    from tests.infra.test_compliance import ALLOWED_LINT_WARNINGS

    matches = lint_file(with_vpc.outdir / "MlopsStack.template.json", ManualArgs(regions=["us-east-1"]))
    assert [f"{m.rule.id} {m.message}" for m in matches if m.rule.severity == "error"
            or (m.rule.severity == "warning" and m.rule.id not in ALLOWED_LINT_WARNINGS)] == []
