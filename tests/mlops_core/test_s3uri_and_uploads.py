"""S3 URI helpers and the execution input's ``data`` object."""

from __future__ import annotations

import pytest

from mlops_core.s3uri import join_s3_uri, parse_s3_uri, to_s3_uri
from mlops_core.uploads import UploadedObject


def test_parse_splits_bucket_and_key():
    assert parse_s3_uri("s3://bucket/a/b/c.csv") == ("bucket", "a/b/c.csv")


@pytest.mark.parametrize("uri", ["https://bucket/a", "s3:///a", "bucket/a"])
def test_parse_rejects_what_is_not_an_s3_uri(uri):
    with pytest.raises(ValueError):
        parse_s3_uri(uri)


@pytest.mark.parametrize("prefix", ["s3://b/models/train/", "s3://b/models/train"])
def test_join_adds_exactly_one_slash(prefix):
    assert join_s3_uri(prefix, "train.csv") == "s3://b/models/train/train.csv"


def test_to_s3_uri_round_trips_with_parse():
    assert parse_s3_uri(to_s3_uri("b", "k/x.csv")) == ("b", "k/x.csv")


def test_uploaded_object_round_trips_through_its_dict():
    upload = UploadedObject(bucket="b", key="k", version_id="v", etag="e", size=3)
    assert UploadedObject.from_dict(upload.to_dict()) == upload


def test_uploaded_object_without_version_uses_the_null_version():
    assert UploadedObject.from_dict({"bucket": "b", "key": "k"}).version_id == "null"


def test_uploaded_object_needs_bucket_and_key():
    with pytest.raises(ValueError, match="bucket"):
        UploadedObject.from_dict({"key": "k"})
