"""The `network` block (optional VPC) and the size limit on uploads (`validation.max_object_bytes`)."""

from __future__ import annotations

import pytest

from mlops.config import ConfigError, parse_config

MODEL = {"name": "penguins", "target": "species", "problem_type": "classification"}


def _config(**top):
    return parse_config({"models": [MODEL], **top})


def test_the_vpc_is_off_by_default():
    vpc = _config().network.vpc
    assert (vpc.enabled, vpc.cidr, vpc.max_azs) == (False, "10.42.0.0/16", 2)


def test_a_vpc_can_be_asked_for():
    vpc = _config(network={"vpc": {"enabled": True, "cidr": "10.1.0.0/20", "max_azs": 3}}).network.vpc
    assert (vpc.enabled, vpc.cidr, vpc.max_azs) == (True, "10.1.0.0/20", 3)


@pytest.mark.parametrize(("vpc", "words"), [
    ({"cidr": "10.0.0.0/8"}, "network.vpc.cidr: '10.0.0.0/8': the prefix length must be between /16 and /24"),
    ({"cidr": "10.1.0.1/16"}, "network.vpc.cidr: '10.1.0.1/16' is not an IPv4 CIDR block"),
    ({"cidr": "8.8.0.0/16"}, "network.vpc.cidr: '8.8.0.0/16' is not a private address range"),
    ({"cidr": "banana"}, "network.vpc.cidr: 'banana' is not an IPv4 CIDR block"),
    ({"max_azs": 4}, "network.vpc.max_azs: Input should be less than or equal to 3"),
    ({"subnets": 3}, "network.vpc.subnets: Extra inputs are not permitted"),
])
def test_a_bad_network_block_is_named_by_field(vpc, words):
    with pytest.raises(ConfigError) as error:
        _config(network={"vpc": vpc})
    assert words in str(error.value)


def test_the_object_size_limit_reaches_the_settings_and_must_be_positive():
    model = {**MODEL, "validation": {"max_object_bytes": 1000}}
    document = parse_config({"models": [model]}).models[0].settings_document(region="us-east-1", submit_directory="x")
    assert document["validation"]["max_object_bytes"] == 1000
    with pytest.raises(ConfigError, match=r"models\[0\].validation.max_object_bytes: Input should be greater than"):
        parse_config({"models": [{**MODEL, "validation": {"max_object_bytes": 0}}]})
