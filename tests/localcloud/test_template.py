"""Intrinsic functions resolved as CloudFormation resolves them (hand-written fragments)."""

from __future__ import annotations

import pytest

from mlops.localcloud.template import (
    NO_VALUE, Resolver, TemplateError, attribute_references, condition_names, dependency_order, pseudo_parameters,
    references, unsupported_functions,
)

PSEUDO = pseudo_parameters(region="eu-west-1", account="123456789012", stack_name="Demo")
RESOURCES = {
    "Bucket": ("demo-bucket-abc", {"Arn": "arn:aws:s3:::demo-bucket-abc", "DomainName": "demo-bucket-abc.s3.amazonaws.com"}),
    "Fn": ("Demo-Fn-XYZ", {"Arn": "arn:aws:lambda:eu-west-1:123456789012:function:Demo-Fn-XYZ"}),
}


def _ref(name):
    if name not in RESOURCES:
        raise TemplateError(f"Ref {name}: no such resource")
    return RESOURCES[name][0]


def _get_att(name, attribute):
    return RESOURCES[name][1][attribute]


@pytest.fixture
def resolver():
    return Resolver(
        pseudo=PSEUDO,
        parameters={"Stage": "dev", "Sizes": ["s", "m"]},
        conditions={
            "IsDev": {"Fn::Equals": [{"Ref": "Stage"}, "dev"]},
            "IsProd": {"Fn::Not": [{"Condition": "IsDev"}]},
            "DevAndEu": {"Fn::And": [{"Condition": "IsDev"}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]}]},
            "ProdOrUs": {"Fn::Or": [{"Condition": "IsProd"}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}]},
        },
        mappings={"Sizes": {"dev": {"Memory": 256}}},
        ref=_ref, get_att=_get_att,
    )


def test_ref_answers_resources_parameters_and_pseudo_parameters(resolver):
    assert resolver.resolve({"Ref": "Bucket"}) == "demo-bucket-abc"
    assert resolver.resolve({"Ref": "Stage"}) == "dev"
    assert resolver.resolve([{"Ref": "AWS::AccountId"}, {"Ref": "AWS::Region"}, {"Ref": "AWS::Partition"},
                             {"Ref": "AWS::URLSuffix"}, {"Ref": "AWS::StackName"}]) == [
        "123456789012", "eu-west-1", "aws", "amazonaws.com", "Demo"]
    assert resolver.resolve({"Ref": "AWS::StackId"}).startswith("arn:aws:cloudformation:eu-west-1:123456789012:stack/Demo/")


def test_no_value_removes_the_key_or_list_item(resolver):
    fragment = {"Keep": 1, "Drop": {"Ref": "AWS::NoValue"}, "List": ["a", {"Ref": "AWS::NoValue"}, "b"]}
    assert resolver.resolve(fragment) == {"Keep": 1, "List": ["a", "b"]}


def test_get_att_in_list_and_dotted_forms(resolver):
    assert resolver.resolve({"Fn::GetAtt": ["Bucket", "Arn"]}) == "arn:aws:s3:::demo-bucket-abc"
    assert resolver.resolve({"Fn::GetAtt": "Fn.Arn"}).endswith(":function:Demo-Fn-XYZ")


def test_join_resolves_nested_functions(resolver):
    fragment = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Ref": "Bucket"}, "/*"]]}
    assert resolver.resolve(fragment) == "arn:aws:s3:::demo-bucket-abc/*"
    assert resolver.resolve({"Fn::Join": [",", {"Ref": "Sizes"}]}) == "s,m"


def test_sub_string_form_with_pseudo_parameters_refs_attributes_and_literals(resolver):
    fragment = {"Fn::Sub": "s3://${Bucket}/${AWS::Region}/${Fn.Arn}/${!NotAVariable}/${Stage}"}
    assert resolver.resolve(fragment) == (
        "s3://demo-bucket-abc/eu-west-1/arn:aws:lambda:eu-west-1:123456789012:function:Demo-Fn-XYZ/${NotAVariable}/dev")


def test_sub_list_form_variables_take_precedence_and_are_resolved(resolver):
    fragment = {"Fn::Sub": ["${Bucket}-${Domain}-${Count}", {
        "Bucket": "override", "Domain": {"Fn::GetAtt": ["Bucket", "DomainName"]}, "Count": 3}]}
    assert resolver.resolve(fragment) == "override-demo-bucket-abc.s3.amazonaws.com-3"


def test_select_and_split(resolver):
    assert resolver.resolve({"Fn::Select": [1, {"Fn::Split": ["/", "a/b/c"]}]}) == "b"
    assert resolver.resolve({"Fn::Select": ["0", {"Fn::GetAZs": ""}]}) == "eu-west-1a"
    with pytest.raises(TemplateError, match="out of range"):
        resolver.resolve({"Fn::Select": [5, ["a"]]})


def test_if_and_conditions(resolver):
    assert resolver.resolve({"Fn::If": ["IsDev", "small", "large"]}) == "small"
    assert resolver.resolve({"Fn::If": ["IsProd", "large", {"Ref": "AWS::NoValue"}]}) is NO_VALUE
    assert resolver.resolve({"X": {"Fn::If": ["IsProd", "large", {"Ref": "AWS::NoValue"}]}}) == {}
    assert resolver.condition("DevAndEu") is True
    assert resolver.condition("ProdOrUs") is False


def test_find_in_map_and_base64(resolver):
    assert resolver.resolve({"Fn::FindInMap": ["Sizes", {"Ref": "Stage"}, "Memory"]}) == 256
    assert resolver.resolve({"Fn::Base64": "hi"}) == "aGk="


def test_import_value_is_refused_clearly(resolver):
    with pytest.raises(TemplateError, match="Fn::ImportValue 'Shared-Vpc': cross-stack imports are not supported"):
        resolver.resolve({"Fn::ImportValue": "Shared-Vpc"})


def test_unknown_reference_and_condition_are_named(resolver):
    with pytest.raises(TemplateError, match="Ref Missing"):
        resolver.resolve({"Ref": "Missing"})
    with pytest.raises(TemplateError, match="Condition Nope: not defined"):
        resolver.resolve({"Fn::If": ["Nope", 1, 2]})


def test_references_cover_ref_get_att_and_sub_but_not_literals_or_sub_variables():
    fragment = {
        "A": {"Ref": "Bucket"}, "B": {"Fn::GetAtt": ["Fn", "Arn"]}, "C": {"Ref": "AWS::Region"},
        "D": {"Fn::Sub": ["${Queue.Arn} ${Local} ${!Literal} ${Topic}", {"Local": {"Ref": "Key"}}]},
    }
    assert references(fragment) == {"Bucket", "Fn", "Queue", "Topic", "Key"}
    assert attribute_references(fragment) == {("Fn", "Arn"), ("Queue", "Arn")}


def test_condition_names_lists_the_conditions_of_fn_if():
    assert condition_names({"A": {"Fn::If": ["IsProd", {"Fn::If": ["IsEu", 1, 2]}, 3]}}) == {"IsProd", "IsEu"}


def test_unsupported_functions_are_listed():
    assert unsupported_functions({"A": [{"Fn::ImportValue": "x"}, {"Fn::Cidr": []}], "B": {"Ref": "x"}}) == {
        "Fn::ImportValue", "Fn::Cidr"}


def test_dependency_order_puts_dependencies_first_and_names_cycles():
    assert dependency_order({"Fn": {"Role"}, "Role": set(), "Rule": {"Fn"}}) == ["Role", "Fn", "Rule"]
    with pytest.raises(TemplateError, match="circular dependency between resources: A -> B -> A"):
        dependency_order({"Start": {"A"}, "A": {"B"}, "B": {"A"}})
