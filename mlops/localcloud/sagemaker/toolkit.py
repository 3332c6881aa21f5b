"""The sagemaker-training toolkit's side of script mode: the /opt/ml layout, the config files,
hyperparameter decoding, the script's CLI arguments and its SM_* environment.

Mirrors `sagemaker_training.environment` / `mapping` so a script sees what it sees on AWS.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

HOST = "algo-1"
GROUP = "homogeneousCluster"
# Hyperparameters the toolkit keeps for itself (params.SAGEMAKER_HYPERPARAMETERS): never CLI args.
TOOLKIT_HYPERPARAMETERS = frozenset({
    "sagemaker_program", "sagemaker_submit_directory", "sagemaker_enable_cloudwatch_metrics",
    "sagemaker_region", "sagemaker_container_log_level", "sagemaker_job_name",
    "default_user_module_name", "_tuning_objective_metric", "sagemaker_s3_output",
})


@dataclass(frozen=True)
class MlPaths:
    """The container's /opt/ml tree under the job's temporary root."""
    root: Path

    @property
    def base(self) -> Path: return self.root / "opt" / "ml"
    @property
    def code(self) -> Path: return self.base / "code"
    @property
    def model(self) -> Path: return self.base / "model"
    @property
    def input(self) -> Path: return self.base / "input"
    @property
    def input_config(self) -> Path: return self.input / "config"
    @property
    def output(self) -> Path: return self.base / "output"
    @property
    def output_data(self) -> Path: return self.output / "data"
    @property
    def output_intermediate(self) -> Path: return self.output / "intermediate"

    def channel(self, name: str) -> Path:
        return self.input / "data" / name

    def create(self) -> None:
        for path in (self.code, self.model, self.input_config, self.output_data, self.output_intermediate):
            path.mkdir(parents=True, exist_ok=True)


def decode_hyperparameters(raw: dict[str, str]) -> dict:
    """JSON-decode each value when it parses, else keep the raw string (read_hyperparameters)."""
    decoded = {}
    for name, value in raw.items():
        try:
            decoded[name] = json.loads(value)
        except (TypeError, ValueError):
            decoded[name] = value
    return decoded


def split_hyperparameters(decoded: dict) -> tuple[dict, dict]:
    """(the script's hyperparameters, the toolkit's sagemaker_* ones)."""
    ours = {k: v for k, v in decoded.items() if k in TOOLKIT_HYPERPARAMETERS or k.startswith("sagemaker_")}
    return {k: v for k, v in decoded.items() if k not in ours}, ours


def to_cmd_args(hyperparameters: dict) -> list[str]:
    """mapping.to_cmd_args: sorted names, `-x` for one letter, dicts as k=v,k=v, else str()."""
    args = []
    for name in sorted(hyperparameters):
        value = hyperparameters[name]
        if hasattr(value, "items"):
            value = ",".join(f"{k}={v}" for k, v in sorted(value.items()))
        args += [f"--{name}" if len(name) > 1 else f"-{name}", "" if value is None else str(value)]
    return args


def env_value(value) -> str:
    """mapping.to_env_vars: strings as they are, anything else as compact sorted JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def resource_config(instance_type: str) -> dict:
    # One host whatever InstanceCount says: a local job is a single container.
    return {"current_host": HOST, "current_instance_type": instance_type, "current_group_name": GROUP,
            "hosts": [HOST], "network_interface_name": "eth0",
            "instance_groups": [{"instance_group_name": GROUP, "instance_type": instance_type, "hosts": [HOST]}]}


def write_configs(paths: MlPaths, hyperparameters: dict, input_data_config: dict, resources: dict) -> None:
    for name, content in (("hyperparameters.json", hyperparameters), ("inputdataconfig.json", input_data_config),
                          ("resourceconfig.json", resources)):
        (paths.input_config / name).write_text(json.dumps(content))


def training_env(*, paths: MlPaths, job_name: str, decoded: dict, channels: list[str],
                 input_data_config: dict, resources: dict, module_dir: str) -> dict[str, str]:
    """The SM_* variables of Environment.to_env_vars, with paths under the temporary root."""
    hps, ours = split_hyperparameters(decoded)
    program = ours.get("sagemaker_program")
    facts = {
        "hosts": [HOST], "network_interface_name": "eth0", "hps": hps, "user_entry_point": program,
        "framework_params": {k: v for k, v in ours.items() if k not in TOOLKIT_HYPERPARAMETERS},
        "resource_config": resources, "input_data_config": input_data_config,
        "output_data_dir": str(paths.output_data), "channels": sorted(channels), "current_host": HOST,
        "current_instance_type": resources["current_instance_type"], "current_instance_group": GROUP,
        "current_instance_group_hosts": [HOST], "instance_groups": [GROUP],
        "instance_groups_dict": {GROUP: resources["instance_groups"][0]}, "distribution_instance_groups": [],
        "is_hetero": False, "module_name": program[:-3] if str(program).endswith(".py") else program,
        "log_level": ours.get("sagemaker_container_log_level", 20), "framework_module": None,
        "input_dir": str(paths.input), "input_config_dir": str(paths.input_config),
        "output_dir": str(paths.output), "num_cpus": os.cpu_count() or 1, "num_gpus": 0,
        "model_dir": str(paths.model), "module_dir": module_dir, "user_args": to_cmd_args(hps),
        "output_intermediate_dir": str(paths.output_intermediate),
    }
    facts["training_env"] = _training_env_json(facts, job_name, paths, channels, hps)
    facts.update({f"channel_{name}": str(paths.channel(name)) for name in channels})
    facts.update({f"hp_{name}": value for name, value in hps.items()})
    return {f"SM_{key.upper()}": env_value(value) for key, value in facts.items()}


def _training_env_json(facts: dict, job_name: str, paths: MlPaths, channels: list[str], hps: dict) -> dict:
    """SM_TRAINING_ENV: the toolkit's Environment properties as one JSON document."""
    same = ("current_host", "current_instance_group", "current_instance_type", "framework_module",
            "hosts", "input_config_dir", "input_data_config", "input_dir", "log_level", "model_dir",
            "module_dir", "module_name", "network_interface_name", "num_cpus", "num_gpus",
            "output_data_dir", "output_dir", "output_intermediate_dir", "resource_config", "user_entry_point")
    return {**{key: facts[key] for key in same},
            "additional_framework_parameters": facts["framework_params"],
            "channel_input_dirs": {name: str(paths.channel(name)) for name in channels},
            "hyperparameters": hps, "is_master": True, "job_name": job_name, "master_hostname": HOST}
