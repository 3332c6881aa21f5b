"""Network isolation, as a local job can honour it.

On SageMaker, `EnableNetworkIsolation` (training) or `NetworkConfig.EnableNetworkIsolation`
(processing) leaves the container without any network: SageMaker still moves the inputs in
and the outputs out, but nothing inside the container reaches S3, AWS APIs or the internet.
So the sagemaker-training toolkit cannot download an `s3://` `sagemaker_submit_directory`:
the code has to arrive as an input channel (the SDK's `code` channel).

Locally the job is a process on the same host, so isolation is approximated: an S3 submit
directory is refused with the reason, and the container's HTTP(S) proxy points at a closed
local port, so Python's HTTP clients (urllib, requests, botocore) fail to connect as they
would on SageMaker. A job that opens raw sockets is not stopped; the jobs of this project
make no network calls at all.
"""

from __future__ import annotations

from mlops.localcloud.sagemaker.outcome import JobError

# Port 9 ("discard") on the loopback: nothing listens there, so connecting fails at once.
_NOWHERE = "http://127.0.0.1:9"
NO_NETWORK_ENV = {"HTTP_PROXY": _NOWHERE, "HTTPS_PROXY": _NOWHERE, "http_proxy": _NOWHERE,
                  "https_proxy": _NOWHERE, "NO_PROXY": "", "no_proxy": "", "AWS_EC2_METADATA_DISABLED": "true"}


def training_isolated(request: dict) -> bool:
    return bool(request.get("EnableNetworkIsolation"))


def processing_isolated(request: dict) -> bool:
    return bool((request.get("NetworkConfig") or {}).get("EnableNetworkIsolation"))


def container_env(isolated: bool) -> dict[str, str]:
    return dict(NO_NETWORK_ENV) if isolated else {}


def refuse_remote_code(submit: str) -> None:
    """An isolated training container cannot fetch an `s3://` source directory."""
    raise JobError(
        f"AlgorithmError: framework error: cannot install the source directory sagemaker_submit_directory={submit}: "
        f"the job runs with EnableNetworkIsolation, so its container cannot reach S3. Give the code as an input "
        f"channel (e.g. 'code') and set sagemaker_submit_directory to its path in the container, "
        f"/opt/ml/input/data/code/<file>.")
