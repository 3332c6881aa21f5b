"""Benchmark: the embedded cloud's SageMaker runtime against the model's own cost, in one run.

Usage: .venv/bin/python bench/endpoint_latency.py [--requests N] [--estimator linear|random_forest]

A penguins model trained by sagemaker_jobs/train.py serves one single-row CSV request at a time,
measured four ways (sequential: p50/p99 latency, the ways taking turns request by request so a
busy machine slows them alike; then 4 concurrent clients per way: throughput):
  in-process    inference.py's input_fn -> predict_fn -> output_fn, called directly
  reference     a minimal keep-alive http.server calling those same functions in-process
  runtime/http  POST /endpoints/<name>/invocations on the embedded cloud, keep-alive http.client
  runtime/boto3 boto3's sagemaker-runtime invoke_endpoint (signed, keep-alive), as users call it
"Overhead" is the median, over rounds, of a way's latency minus the in-process latency of the same
round (target: under 2 ms for runtime/boto3).
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.demo_walltime import machine  # noqa: E402
from mlops.localcloud.server import EmbeddedCloud  # noqa: E402
from mlops.localcloud.serving import FleetSpec, Routes  # noqa: E402
from sagemaker_jobs import inference  # noqa: E402
from tests.localcloud.serving import support  # noqa: E402

BODY = support.PENGUIN_ROW.encode()
CLIENTS = 4


def in_process(model_dir: Path):
    model = inference.model_fn(str(model_dir))

    def call() -> None:
        inference.output_fn(inference.predict_fn(inference.input_fn(BODY, "text/csv"), model), None)
    return call, model


def reference_server(model) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer, content_type = inference.output_fn(
                inference.predict_fn(inference.input_fn(body, self.headers["Content-Type"]), model), None)
            data = answer.encode()
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode()
                             + b"\r\nContent-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def http_caller(host: str, port: int, path: str):
    connection = http.client.HTTPConnection(host, port)

    def call() -> None:
        connection.request("POST", path, body=BODY, headers={"Content-Type": "text/csv"})
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 200, answer.status
    return call


def boto3_caller(cloud, endpoint: str):
    client = cloud.client("sagemaker-runtime")

    def call() -> None:
        client.invoke_endpoint(EndpointName=endpoint, Body=BODY, ContentType="text/csv")["Body"].read()
    return call


def latencies(calls: dict, rounds: int) -> dict[str, list[float]]:
    """Milliseconds per call, every way once per round."""
    for call in calls.values():
        for _ in range(20):  # warm up: connections, caches
            call()
    measured: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            measured[name].append((time.perf_counter() - started) * 1000)
    return measured


def throughput(make_call, count: int) -> float:
    calls = [make_call() for _ in range(CLIENTS)]
    per_client = count // CLIENTS
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(lambda call: [call() for _ in range(per_client)], calls))
    return per_client * CLIENTS / (time.perf_counter() - started)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--estimator", default="linear", choices=("linear", "random_forest", "gradient_boosting"))
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="endpoint-bench-"))
    with EmbeddedCloud(region="us-east-1", workdir=work / "cloud") as cloud:
        artifacts = support.upload_artifacts(cloud.client("s3"), "bench-artifacts", work / "models",
                                             estimators=(args.estimator,))
        sagemaker = cloud.client("sagemaker")
        package = support.register_package(sagemaker, "Bench-penguins", artifacts.model_urls[args.estimator],
                                           artifacts.source_url)
        support.create_model_from_package(sagemaker, "bench-penguins", package)
        fleet = cloud.fleets.start_fleet(FleetSpec("bench", "bench-config", "AllTraffic", "bench-penguins",
                                                   "ml.m5.large", os.cpu_count() or 1, None))
        cloud.router.set_routes("bench", Routes(((fleet, 1.0),)))
        local_call, model = in_process(artifacts.model_dirs[args.estimator])
        reference = reference_server(model)
        host, port = cloud._server.get_host_and_port()
        modes = {
            "in-process": lambda: local_call,
            "reference": lambda: http_caller(*reference.server_address[:2], "/invocations"),
            "runtime/http": lambda: http_caller(host, port, "/endpoints/bench/invocations"),
            "runtime/boto3": lambda: boto3_caller(cloud, "bench"),
        }
        measured = latencies({name: make_call() for name, make_call in modes.items()}, args.requests)
        rates = {name: throughput(make_call, args.requests) for name, make_call in modes.items()}
        reference.shutdown()
    base = measured["in-process"]
    print(f"Single-row CSV, {args.estimator} penguins model, {args.requests} sequential requests per row, "
          f"throughput with {CLIENTS} clients; fleet of {os.cpu_count()} instances")
    print(f"machine: {machine()}; load average before: {load_before:.2f}")
    print(f"{'mode':<14} {'p50 ms':>8} {'p99 ms':>8} {'overhead p50 ms':>16} {'req/s':>8}")
    for name, values in measured.items():
        overhead = statistics.median(v - b for v, b in zip(values, base))
        print(f"{name:<14} {statistics.median(values):>8.2f} {percentile(values, 0.99):>8.2f} {overhead:>16.2f} "
              f"{rates[name]:>8.0f}")


if __name__ == "__main__":
    main()
