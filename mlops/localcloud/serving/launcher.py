"""Starting a fleet's container workers with the environment a SageMaker instance gives them.

The container sees the model's Environment (with /opt/ml paths under the fleet's root), the
image's defaults, its region and credentials of the model's execution role pointed at the
embedded cloud, and nothing of the cloud's own environment.
"""

from __future__ import annotations

import itertools
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mlops.localcloud.sagemaker.container import IMAGE_ENV, INHERITED_ENV, rewrite_opt_ml
from mlops.localcloud.serving.artifacts import ContainerFiles
from mlops.localcloud.serving.model_source import ContainerSpec
from mlops.localcloud.serving.spec import FleetSpec, FleetStartError
from mlops.localcloud.serving.worker_process import WorkerProcess

# ContainerStartupHealthCheckTimeoutInSeconds' spirit: a model that loads for longer is broken here.
STARTUP_TIMEOUT_SECONDS = 120.0
# Several workers share two cores: one math thread each keeps them from fighting over them.
SINGLE_THREADED = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def container_env(container: ContainerSpec, files: ContainerFiles, *, credentials: dict[str, str],
                  region: str, endpoint_url: str) -> dict[str, str]:
    env = {name: os.environ[name] for name in INHERITED_ENV if name in os.environ}
    env["PATH"] = os.environ.get("PATH", os.defpath)
    env.update(IMAGE_ENV)
    env.update(SINGLE_THREADED)
    env.update({name: rewrite_opt_ml(files.root, value) for name, value in container.environment.items()})
    env.update(credentials)
    env.update({
        "AWS_REGION": region, "AWS_DEFAULT_REGION": region, "AWS_ENDPOINT_URL": endpoint_url,
        "SAGEMAKER_PROGRAM": files.program,
        "MLOPS_CODE_DIR": str(files.code_dir), "MLOPS_MODEL_DIR": str(files.model_dir),
    })
    return env


class WorkerLauncher:
    """Starts (and restarts) the workers of one fleet."""

    def __init__(self, *, spec: FleetSpec, files: ContainerFiles, env: dict[str, str], python: str,
                 log_dir: Path) -> None:
        self._spec = spec
        self._files = files
        self._env = env
        self._python = python
        self._log_dir = log_dir
        self._numbers = itertools.count(1)  # instance numbers, also across restarts

    def start(self) -> WorkerProcess:
        """A worker whose model is loaded; FleetStartError (with the log's tail) if it never is."""
        worker = WorkerProcess.start(python=self._python, env=self._env, cwd=self._files.code_dir,
                                     log_path=self._log_dir / f"instance-{next(self._numbers)}.log")
        problem = worker.wait_ready(STARTUP_TIMEOUT_SECONDS)
        if problem is None:
            return worker
        worker.kill()
        tail = worker.log_tail()
        raise FleetStartError(
            f"The primary container for production variant {self._spec.variant_name} did not pass the ping "
            f"health check: {problem}." + (f" Container log ({worker.log_path}):\n{tail}" if tail else ""))

    def start_many(self, count: int) -> list[WorkerProcess]:
        with ThreadPoolExecutor(max_workers=count) as pool:
            futures = [pool.submit(self.start) for _ in range(count)]
        workers, errors = [], []
        for future in futures:
            try:
                workers.append(future.result())
            except FleetStartError as exc:
                errors.append(exc)
        if errors:
            for worker in workers:
                worker.stop()
            raise errors[0]
        return workers
