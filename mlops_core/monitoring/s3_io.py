"""The monitor's S3 side, with the client passed in (boto3's): the capture files of a window,
their lines streamed, the ground truth of a model, JSON documents and the reports."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from mlops_core.data_capture import hour_prefixes
from mlops_core.monitoring.errors import MissingBaseline
from mlops_core.monitoring.request import Window
from mlops_core.s3uri import parse_s3_uri, to_s3_uri

MONITORING_PREFIX = "monitoring"
GROUND_TRUTH_PREFIX = "ground-truth"


def report_prefix(bucket: str, endpoint: str, schedule: str, end: datetime) -> str:
    """`s3://<artifacts>/monitoring/<endpoint>/<schedule>/yyyy/mm/dd/hh/` of the window's end."""
    return to_s3_uri(bucket, f"{MONITORING_PREFIX}/{endpoint}/{schedule}/{end:%Y/%m/%d/%H}/")


def capture_objects(s3: Any, bucket: str, endpoint: str, variant: str, window: Window) -> list[tuple[str, int]]:
    """(key, size) of every capture file in the hour folders the window touches."""
    found = []
    for prefix in hour_prefixes(endpoint, variant, window.start, window.end):
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            found += [(item["Key"], int(item["Size"])) for item in page.get("Contents", [])]
    return found


def ground_truth_objects(s3: Any, bucket: str, model: str, window: Window) -> list[str]:
    """Keys of `.jsonl` and `.csv` files under `ground-truth/<model>/`, leaving out files last
    written before the window began: a label comes after the inference it labels."""
    keys = []
    prefix = f"{GROUND_TRUTH_PREFIX}/{model}/"
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys += [item["Key"] for item in page.get("Contents", [])
                 if item["Key"].lower().endswith((".jsonl", ".csv")) and item["LastModified"] >= window.start]
    return keys


def object_lines(s3: Any, bucket: str, keys: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(key, line) of each object, streamed line by line (one object body open at a time)."""
    for key in keys:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"]
        try:
            for raw in body.iter_lines():
                yield key, raw.decode("utf-8", errors="replace")
        finally:
            body.close()


def read_baseline_file(s3: Any, uri: str, package: str) -> dict:
    bucket, key = parse_s3_uri(uri)
    try:
        return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    except s3.exceptions.NoSuchKey:
        raise MissingBaseline(package, f"names {uri} as its baseline, but there is no such object") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MissingBaseline(package, f"names {uri} as its baseline, which is not valid JSON: {error}") from None


def write_reports(s3: Any, prefix: str, files: dict[str, Any]) -> None:
    bucket, key = parse_s3_uri(prefix)
    for name, document in files.items():
        s3.put_object(Bucket=bucket, Key=key + name, Body=json.dumps(document, indent=2, default=_plain).encode(),
                      ContentType="application/json")


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else str(value)
