"""The upload trigger: S3 Object Created under datasets/ -> StartPipeline, retry + DLQ."""

from __future__ import annotations


def test_the_rule_matches_object_created_under_datasets_in_the_data_bucket(synthesized):
    data = synthesized.logical_id("AWS::S3::Bucket", "StorageData")
    rule = synthesized.resource("AWS::Events::Rule", "UploadTriggerRule")
    assert rule["Properties"]["EventPattern"] == {
        "source": ["aws.s3"],
        "account": [{"Ref": "AWS::AccountId"}],
        "detail-type": ["Object Created"],
        "detail": {"bucket": {"name": [{"Ref": data}]}, "object": {"key": [{"prefix": "datasets/"}]}},
    }


def test_the_target_is_start_pipeline_with_retries_and_a_dead_letter_queue(synthesized):
    function = synthesized.logical_id("AWS::Lambda::Function", "StartPipeline")
    queue = synthesized.logical_id("AWS::SQS::Queue", "UploadTriggerDeadLetters")
    [target] = synthesized.resource("AWS::Events::Rule", "UploadTriggerRule")["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [function, "Arn"]}
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [queue, "Arn"]}}
    assert target["RetryPolicy"] == {"MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 4}
    permission = synthesized.resource("AWS::Lambda::Permission", "UploadTriggerRule")["Properties"]
    assert permission["Principal"] == "events.amazonaws.com"
    assert permission["FunctionName"] == {"Fn::GetAtt": [function, "Arn"]}


def test_the_dead_letter_queue_is_kms_encrypted_and_tls_only(synthesized):
    key = synthesized.logical_id("AWS::KMS::Key", "StorageKey")
    queue_id = synthesized.logical_id("AWS::SQS::Queue", "UploadTriggerDeadLetters")
    queue = synthesized.template["Resources"][queue_id]["Properties"]
    assert queue["KmsMasterKeyId"] == {"Fn::GetAtt": [key, "Arn"]}
    statements = synthesized.resource("AWS::SQS::QueuePolicy", "UploadTriggerDeadLetters")[
        "Properties"]["PolicyDocument"]["Statement"]
    assert any(s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
               for s in statements)
    assert any(s["Effect"] == "Allow" and s["Principal"] == {"Service": "events.amazonaws.com"}
               and s["Action"] == "sqs:SendMessage" for s in statements)


def test_events_the_function_fails_on_also_land_in_the_dead_letter_queue(synthesized):
    queue = synthesized.logical_id("AWS::SQS::Queue", "UploadTriggerDeadLetters")
    function = synthesized.resource("AWS::Lambda::Function", "StartPipelineFunction")["Properties"]
    assert function["DeadLetterConfig"] == {"TargetArn": {"Fn::GetAtt": [queue, "Arn"]}}
