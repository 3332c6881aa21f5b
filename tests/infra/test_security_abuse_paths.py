"""The paths an attacker or a mistake can reach the stack by: events, and the functions they
invoke asynchronously. Every EventBridge rule listens to this account only and names its
source; every function it invokes has retries and a dead-letter queue, as has the function
itself for the failures Lambda's own async retries end in."""

from __future__ import annotations

from tests.infra.helpers import as_list


def _lambda_targets(synthesized) -> list[tuple[str, dict]]:
    return [(rule_id, target) for rule_id, rule in synthesized.resources("AWS::Events::Rule").items()
            for target in rule["Properties"].get("Targets", []) if "Fn::GetAtt" in target["Arn"]
            and synthesized.template["Resources"][target["Arn"]["Fn::GetAtt"][0]]["Type"] == "AWS::Lambda::Function"]


def test_every_rule_names_its_sources(synthesized):
    rules = synthesized.resources("AWS::Events::Rule")
    assert len(rules) >= 2
    assert all(rule["Properties"]["EventPattern"].get("source") for rule in rules.values())


def test_rules_on_sources_anyone_may_send_listen_to_this_account_only(synthesized):
    # `aws.` sources cannot be forged (PutEvents refuses them to everyone but AWS); any other source
    # anyone in the account with events:PutEvents may send, so those rules must at least be this
    # account's, and their targets treat every field as untrusted input.
    custom = {rule_id: rule["Properties"]["EventPattern"] for rule_id, rule in
              synthesized.resources("AWS::Events::Rule").items()
              if not all(s.startswith("aws.") for s in as_list(rule["Properties"]["EventPattern"]["source"]))}
    assert custom, "the retraining rule listens to mlops.retraining"
    for rule_id, pattern in custom.items():
        assert pattern.get("account") == [{"Ref": "AWS::AccountId"}], rule_id
    upload = synthesized.resource("AWS::Events::Rule", "UploadTriggerRule")["Properties"]["EventPattern"]
    assert upload["account"] == [{"Ref": "AWS::AccountId"}]  # the data path: defence in depth


def test_no_other_account_may_put_events_on_the_bus(synthesized):
    types = {r["Type"] for r in synthesized.template["Resources"].values()}
    assert "AWS::Events::EventBusPolicy" not in types and "AWS::Events::EventBus" not in types


def test_every_function_eventbridge_invokes_has_retries_and_dead_letter_queues(synthesized):
    targets = _lambda_targets(synthesized)
    assert len(targets) >= 2  # uploads and retraining requests
    for rule_id, target in targets:
        assert target["DeadLetterConfig"]["Arn"], rule_id
        assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 1, rule_id
        function = synthesized.template["Resources"][target["Arn"]["Fn::GetAtt"][0]]
        assert function["Properties"]["DeadLetterConfig"]["TargetArn"], rule_id


def test_dead_letter_queues_are_encrypted_with_the_stack_key_and_tls_only(synthesized):
    key = synthesized.logical_id("AWS::KMS::Key", "StorageKey")
    for queue in synthesized.resources("AWS::SQS::Queue").values():
        assert queue["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key, "Arn"]}
    denies = [s for policy in synthesized.resources("AWS::SQS::QueuePolicy").values()
              for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert any(s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}} for s in denies)
