"""One SSM String parameter per model, `/<stack_name>/models/<model>`, holding the settings
JSON of contracts.md (too big for Lambda environment variables or EventBridge inputs)."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from mlops.config import StageConfig


def settings_prefix(stack_name: str) -> str:
    return f"/{stack_name}/models/"


def pascal(name: str) -> str:
    """`my-model` -> `MyModel`, for construct ids."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("-"))


class ModelSettings(Construct):
    """`prefix` and `parameters` (model name -> StringParameter)."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig, submit_directory: str) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.prefix = settings_prefix(config.stack_name)
        self.parameters: dict[str, ssm.StringParameter] = {}
        for model in config.models:
            document = model.settings_document(region=config.region, submit_directory=submit_directory)
            self.parameters[model.name] = ssm.StringParameter(
                self, pascal(model.name),
                parameter_name=self.prefix + model.name,
                # to_json_string: the asset URL tokens become Fn::Join parts, resolved at deploy.
                string_value=stack.to_json_string(document),
                description=f"Pipeline settings of model {model.name} (docs/contracts.md)",
                tier=ssm.ParameterTier.STANDARD,
            )
