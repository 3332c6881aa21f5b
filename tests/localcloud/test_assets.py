"""Publishing `<Stack>.assets.json` to the local bootstrap bucket."""

from __future__ import annotations

import io
import json
import os
import zipfile

import boto3
import pytest
from moto.server import ThreadedMotoServer

from mlops.localcloud import assets

REGION = "us-east-1"


@pytest.fixture(scope="module")
def s3():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield boto3.client("s3", endpoint_url=f"http://{host}:{port}", region_name=REGION,
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    server.stop()


def _write_tree(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _destination(key, bucket="cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"):
    return {"current_account-current_region": {"bucketName": bucket, "objectKey": key,
                                               "assumeRoleArn": "arn:${AWS::Partition}:iam::x:role/y"}}


@pytest.fixture
def cdk_out(tmp_path):
    _write_tree(tmp_path / "asset.fn", {"handler.py": "def main(e, c):\n    return e\n", "pkg/util.py": "X = 1\n"})
    _write_tree(tmp_path / "asset.layer", {"python/big.py": "# pretend this is 100 MB\n"})
    (tmp_path / "asset.job.tar.gz").write_bytes(b"not really a tarball")
    manifest = {"version": "55.0.0", "files": {
        "fnhash": {"displayName": "Fn/Code", "source": {"path": "asset.fn", "packaging": "zip"},
                   "destinations": _destination("fnhash.zip")},
        "layerhash": {"displayName": "Deps/Code", "source": {"path": "asset.layer", "packaging": "zip"},
                      "destinations": _destination("layerhash.zip")},
        "jobhash": {"displayName": "Job/Source", "source": {"path": "asset.job.tar.gz", "packaging": "file"},
                    "destinations": _destination("jobhash.tar.gz")},
    }, "dockerImages": {}}
    (tmp_path / "Demo.assets.json").write_text(json.dumps(manifest))
    return tmp_path


TEMPLATE = {"Resources": {
    "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {
        "S3Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}, "S3Key": "fnhash.zip"}}},
    "Deps": {"Type": "AWS::Lambda::LayerVersion", "Properties": {"Content": {
        "S3Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}, "S3Key": "layerhash.zip"}}},
    "Settings": {"Type": "AWS::SSM::Parameter", "Properties": {"Value": {"Fn::Join": ["", ["s3://b/", "jobhash.tar.gz"]]}}},
}}


def test_read_assets_replaces_destination_placeholders(cdk_out):
    found = {a.asset_id: a for a in assets.read_assets(cdk_out, "Demo", account="111122223333", region="eu-west-1")}
    assert found["fnhash"].bucket == "cdk-hnb659fds-assets-111122223333-eu-west-1"
    assert found["fnhash"].key == "fnhash.zip"
    assert found["jobhash"].packaging == "file"


def test_an_asset_used_only_as_layer_content_is_layer_only(cdk_out):
    found = assets.read_assets(cdk_out, "Demo", account="123456789012", region=REGION)
    bucket = "cdk-hnb659fds-assets-123456789012-us-east-1"
    assert assets.layer_only_locations(found, TEMPLATE) == {(bucket, "layerhash.zip")}
    shared = json.loads(json.dumps(TEMPLATE))
    shared["Resources"]["Fn"]["Properties"]["Code"]["S3Key"] = "layerhash.zip"
    assert assets.layer_only_locations(found, shared) == set()


def test_zip_directory_is_deterministic_and_keeps_relative_paths(tmp_path):
    _write_tree(tmp_path, {"b.py": "b", "a/c.py": "c"})
    first = assets.zip_directory(tmp_path)
    os.utime(tmp_path / "b.py", (0, 0))
    assert assets.zip_directory(tmp_path) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == ["a/c.py", "b.py"]
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_publish_creates_the_bucket_uploads_and_skips_layer_only_assets(cdk_out, s3):
    found = assets.read_assets(cdk_out, "Demo", account="123456789012", region=REGION)
    published = assets.publish(found, s3, region=REGION, layer_only=assets.layer_only_locations(found, TEMPLATE))
    status = {p.asset.asset_id: p.status for p in published}
    assert status == {"fnhash": assets.UPLOADED, "layerhash": assets.LAYER_PLACEHOLDER, "jobhash": assets.UPLOADED}
    bucket = "cdk-hnb659fds-assets-123456789012-us-east-1"
    body = s3.get_object(Bucket=bucket, Key="fnhash.zip")["Body"].read()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert sorted(archive.namelist()) == ["handler.py", "pkg/util.py"]
    assert s3.get_object(Bucket=bucket, Key="jobhash.tar.gz")["Body"].read() == b"not really a tarball"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert "layerhash.zip" not in keys
    again = assets.publish(found, s3, region=REGION)
    assert {p.asset.asset_id: p.status for p in again}["fnhash"] == assets.ALREADY_PRESENT


def test_a_missing_source_is_an_error_naming_the_asset(cdk_out, s3):
    (cdk_out / "asset.job.tar.gz").unlink()
    found = [a for a in assets.read_assets(cdk_out, "Demo", account="123456789012", region="us-west-2")
             if a.asset_id == "jobhash"]
    with pytest.raises(assets.AssetError, match=r"asset jobhash \(Job/Source\)"):
        assets.publish(found, s3, region="us-west-2")
