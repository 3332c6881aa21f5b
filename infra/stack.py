"""MlopsStack: composes the constructs of infra/ and grants every cross-resource permission
here, so each construct stays one concern and all access is readable in one place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct
from sagemaker.core import image_uris

from infra.approval_trigger import ApprovalTrigger
from infra.bundling import REPO_ROOT
from infra.data import DATASETS_PREFIX, DataStorage
from infra.deployment_pipeline import DeploymentPipeline, ServingResources
from infra.deployment_pipeline.access import model_monitored
from infra.deployment_pipeline.model_monitor import ModelMonitorResources
from infra.encryption import StackEncryption
from infra.endpoint_alarms import EndpointAlarms
from infra.functions import LAMBDA_RUNTIME, PipelineFunction
from infra.job_code import JobCode
from infra.lambda_layer import DependenciesLayer
from infra.monitoring import (
    AlarmRetrainingTrigger, ModelDashboards, ModelMonitorExecutionTrigger, MonitoringAlarms, MonitoringSchedules,
    MonitorJobTrigger, RetrainingSchedules,
)
from infra.monitoring.access import (
    MONITORING_PREFIX, grant_check_job, grant_monitor, model_monitor_metrics_statement, settings_listing_statement,
)
from infra.monitoring.metrics import monitored
from infra.network import PrivateNetwork
from infra.nag import acknowledge_wildcards
from infra.registry import ModelRegistry
from infra.retraining import RetrainingTrigger
from infra.sagemaker_role import SageMakerExecutionRole
from infra.settings import ModelSettings, pascal
from infra.training_pipeline import JobSettings, TrainingPipeline
from infra.training_pipeline.common import JobNetwork
from infra.training_pipeline.job_security import submit_directory
from infra.trigger import UploadTrigger
from mlops.config import StageConfig
from mlops_core.data_capture import DATA_CAPTURE_PREFIX
from mlops_core.execution_input import ACCEPTED_DATA_FILE, USER_CONTRACTS_PREFIX
from mlops_core.naming import data_quality_schedule_name

SKLEARN_VERSION = "1.9-0"
# Prefix under which PrepareData writes splits and SageMaker writes models and reports.
MODELS_PREFIX = "models/"
READ_VERSIONS = ["s3:GetObject", "s3:GetObjectVersion"]
KEY_USE = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]


def sklearn_image(region: str, scope: str) -> str:
    # One CPU image for every model: scikit-learn has no GPU image, so the instance type
    # only has to be a CPU one for the lookup.
    return image_uris.retrieve("sklearn", region=region, version=SKLEARN_VERSION,
                               image_scope=scope, instance_type="ml.m5.large")


def model_monitor_image(region: str) -> str:
    # SageMaker Model Monitor's analyzer (sagemaker-model-monitor-analyzer) of the region.
    return image_uris.retrieve("model-monitor", region=region)


class MlopsStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig,
                 source_root: Path = REPO_ROOT, **kwargs) -> None:
        super().__init__(
            scope, construct_id,
            stack_name=config.stack_name,
            env=cdk.Environment(account=config.account, region=config.region),
            analytics_reporting=False,
            # No BootstrapVersion parameter/rule in the template: the CDK CLI checks the
            # bootstrap version itself before deploying (requiresBootstrapStackVersion).
            synthesizer=cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False),
            description="Serverless MLOps: upload a dataset, get a validated, evaluated, registered model",
            **kwargs,
        )
        storage = DataStorage(self, "Storage")
        StackEncryption(self, "Encryption", topics_key=storage.key).apply()  # every log group and topic
        network = (PrivateNetwork(self, "Network", config=config.network.vpc, flow_log_bucket=storage.log_bucket)
                   if config.network.vpc.enabled else None)
        job_code = JobCode(self, "JobCode", source_root=source_root)
        layer = DependenciesLayer(self, "Dependencies", runtime=LAMBDA_RUNTIME)
        execution = SageMakerExecutionRole(self, "SageMakerExecution")
        execution.use_volume_key(storage.key)
        if network:
            execution.run_in(network)
        # Jobs run network-isolated: the code comes in as the `code` channel (job_security.py).
        settings = ModelSettings(self, "ModelSettings", config=config,
                                 submit_directory=submit_directory(job_code.asset.s3_object_key))
        ModelRegistry(self, "Registry", config=config)

        def function(construct_id: str, code_dir: str, **kwargs) -> PipelineFunction:
            return PipelineFunction(
                self, construct_id, code_dir=code_dir, service_name=code_dir.replace("_", "-"),
                metrics_namespace=config.stack_name, layer=layer.layer, source_root=source_root, network=network,
                **kwargs)

        big = {"memory_size": 2048, "timeout": cdk.Duration.minutes(10)}  # pandas on whole datasets
        validate = function("ValidateData", "validate_data",
                            description="Checks an upload against the data contract", **big)
        prepare = function("PrepareData", "prepare_data", description="Writes the train and test splits", **big)
        pipeline = TrainingPipeline(
            self, "TrainingPipeline", config=config,
            validate_function=validate.function, prepare_function=prepare.function,
            jobs=JobSettings(
                role_arn=execution.role.role_arn,
                training_image=sklearn_image(config.region, "training"),
                inference_image=sklearn_image(config.region, "inference"),
                output_key_arn=storage.key.key_arn,
                source_url=job_code.s3_url,
                code_version=job_code.asset.asset_hash,
                volume_key_arn=storage.key.key_arn,
                network=JobNetwork(subnet_ids=network.subnet_ids, security_group_ids=network.security_group_ids)
                if network else None,
            ),
            artifacts_bucket=storage.artifacts_bucket,
        )
        start = function(
            "StartPipeline", "start_pipeline", description="Starts a training run for an uploaded dataset",
            environment={
                "STATE_MACHINE_ARN": pipeline.state_machine.state_machine_arn,
                "SETTINGS_PARAMETER_PREFIX": settings.prefix,
                "ARTIFACTS_BUCKET": storage.artifacts_bucket.bucket_name,
                "DATA_BUCKET": storage.data_bucket.bucket_name,  # events for any other bucket are ignored
                "POLL_SECONDS": str(config.poll_seconds),
            },
        )
        trigger = UploadTrigger(self, "UploadTrigger", bucket=storage.data_bucket, target=start.function,
                                key=storage.key)
        # EventBridge's DLQ only gets events it could not deliver; an upload event the
        # function itself fails on (after Lambda's two async retries) lands in the same queue.
        start_function = start.function.node.default_child
        start_function.dead_letter_config = lambda_.CfnFunction.DeadLetterConfigProperty(
            target_arn=trigger.dead_letter_queue.queue_arn)

        self._grant_start(start, storage=storage, pipeline=pipeline, settings_prefix=settings.prefix,
                          dead_letters=trigger.dead_letter_queue)
        self._grant_data_steps(validate, prepare, storage=storage)
        self._grant_jobs(execution, storage=storage, job_code=job_code, pipeline=pipeline)
        RetrainingTrigger(self, "RetrainingTrigger", target=start.function, dead_letter_queue=trigger.dead_letter_queue)
        self._grant_retraining(start, pipeline=pipeline, storage=storage)
        if any(model.serving.enabled for model in config.models):
            deployment = self._add_serving(config, function=function, storage=storage, execution=execution,
                                           settings_prefix=settings.prefix, dead_letters=trigger.dead_letter_queue,
                                           network=network)
            if monitored(config.models):
                self._add_monitoring(config, function=function, storage=storage, execution=execution,
                                     settings_prefix=settings.prefix, dead_letters=trigger.dead_letter_queue,
                                     start=start, job_code=job_code, network=network,
                                     training=pipeline.state_machine, deployment=deployment.state_machine)
        cdk.CfnOutput(self, "DataBucketName", value=storage.data_bucket.bucket_name)
        cdk.CfnOutput(self, "ArtifactsBucketName", value=storage.artifacts_bucket.bucket_name)
        cdk.CfnOutput(self, "TrainingPipelineArn", value=pipeline.state_machine.state_machine_arn)
        cdk.CfnOutput(self, "SettingsParameterPrefix", value=settings.prefix)

    def _add_serving(self, config: StageConfig, *, function: Callable[..., PipelineFunction], storage: DataStorage,
                     execution: SageMakerExecutionRole, settings_prefix: str,
                     dead_letters: sqs.IQueue, network: PrivateNetwork | None) -> DeploymentPipeline:
        """Approval -> deployment pipeline -> endpoint, for the models with serving enabled (and
        with monitoring.engine "model-monitor", the endpoint's Model Monitor schedule)."""
        serving = [model for model in config.models if model.serving.enabled]
        model_monitor = ModelMonitorResources(
            image_uri=model_monitor_image(config.region),
            output_uri=f"s3://{storage.artifacts_bucket.bucket_name}/{MONITORING_PREFIX.rstrip('/')}",
            vpc_config=JobNetwork(subnet_ids=network.subnet_ids, security_group_ids=network.security_group_ids
                                  ).vpc_config() if network else None,
        ) if model_monitored(serving) else None
        EndpointAlarms(self, "EndpointAlarms", config=config)
        capacity = function("CheckCapacity", "check_capacity", description="Checks endpoint instance quota before "
                            "a blue/green update", timeout=cdk.Duration.minutes(2))
        shadow = function("CompareShadow", "compare_shadow", description="Judges a shadow test from captured answers "
                          "and latency", memory_size=1024, timeout=cdk.Duration.minutes(5),
                          environment={"ARTIFACTS_BUCKET": storage.artifacts_bucket.bucket_name})
        deployment = DeploymentPipeline(
            self, "DeploymentPipeline", config=config, check_capacity=capacity.function, compare_shadow=shadow.function,
            model_monitor=model_monitor, resources=ServingResources(
                role_arn=execution.role.role_arn, key_arn=storage.key.key_arn,
                capture_uri=f"s3://{storage.artifacts_bucket.bucket_name}/{DATA_CAPTURE_PREFIX}"),
        )
        start = function("StartDeployment", "start_deployment", description="Starts a deployment for an approved "
                         "model version", environment={
                             "STATE_MACHINE_ARN": deployment.state_machine.state_machine_arn,
                             "SETTINGS_PARAMETER_PREFIX": settings_prefix,
                             "POLL_SECONDS": str(config.poll_seconds)})
        ApprovalTrigger(self, "ApprovalTrigger", groups=[m.model_package_group_name for m in serving],
                        target=start.function, dead_letter_queue=dead_letters)
        start.function.node.default_child.dead_letter_config = lambda_.CfnFunction.DeadLetterConfigProperty(
            target_arn=dead_letters.queue_arn)
        self._grant_deployment(start, capacity, shadow, deployment=deployment, storage=storage, execution=execution,
                               settings_prefix=settings_prefix, dead_letters=dead_letters)
        cdk.CfnOutput(self, "DeploymentPipelineArn", value=deployment.state_machine.state_machine_arn)
        for model in serving:
            cdk.CfnOutput(self, f"EndpointName{pascal(model.name)}", value=model.serving.endpoint_name,
                          description=f"SageMaker endpoint of model {model.name}")
        return deployment

    def _add_monitoring(self, config: StageConfig, *, function: Callable[..., PipelineFunction], storage: DataStorage,
                        execution: SageMakerExecutionRole, settings_prefix: str, dead_letters: sqs.IQueue,
                        start: PipelineFunction, job_code: JobCode, network: PrivateNetwork | None,
                        training: sfn.IStateMachine, deployment: sfn.IStateMachine) -> None:
        """Scheduled checks -> metrics -> alarms -> retraining requests, for the monitored models."""
        models = monitored(config.models)
        monitor = function(
            "MonitorEndpoint", "monitor_endpoint", description="Checks an endpoint's captured traffic for drift and "
            "its labelled predictions for quality", memory_size=2048, timeout=cdk.Duration.minutes(10),
            environment={
                "SETTINGS_PARAMETER_PREFIX": settings_prefix,
                "ARTIFACTS_BUCKET": storage.artifacts_bucket.bucket_name,
                "DATA_BUCKET": storage.data_bucket.bucket_name,
                "MONITOR_JOB_ROLE_ARN": execution.role.role_arn,
                "MONITOR_JOB_IMAGE_URI": sklearn_image(config.region, "training"),
                "MONITOR_JOB_CODE_URI": job_code.s3_url,
                "MONITOR_JOB_KMS_KEY_ARN": storage.key.key_arn,
                **({"MONITOR_JOB_VPC_CONFIG": self.to_json_string({
                    "Subnets": network.subnet_ids, "SecurityGroupIds": network.security_group_ids})} if network else {}),
            })
        monitor.function.node.default_child.dead_letter_config = lambda_.CfnFunction.DeadLetterConfigProperty(
            target_arn=dead_letters.queue_arn)
        schedules = MonitoringSchedules(self, "MonitoringSchedules", config=config, function=monitor.function,
                                        dead_letter_queue=dead_letters)
        RetrainingSchedules(self, "RetrainingSchedules", config=config, group=schedules.group, function=start.function,
                            dead_letter_queue=dead_letters)
        alarms = MonitoringAlarms(self, "MonitoringAlarms", config=config)
        retraining = [m for m in models if m.monitoring.retraining.on_alarm]
        if retraining:
            AlarmRetrainingTrigger(self, "AlarmRetraining", target=start.function, dead_letter_queue=dead_letters,
                                   alarm_names=[name for name in alarms.names
                                                if any(name.startswith(m.serving.endpoint_name) for m in retraining)])
            self._grant_alarm_retraining(start, storage=storage)
        MonitorJobTrigger(self, "MonitorJobs", target=monitor.function, dead_letter_queue=dead_letters)
        if model_monitored(models):
            ModelMonitorExecutionTrigger(
                self, "ModelMonitorExecutions", target=monitor.function, dead_letter_queue=dead_letters,
                schedules=[data_quality_schedule_name(m.serving.endpoint_name) for m in model_monitored(models)])
        ModelDashboards(self, "Dashboards", config=config, training=training, deployment=deployment)
        self._grant_monitoring(monitor, config=config, storage=storage, execution=execution,
                               settings_prefix=settings_prefix, dead_letters=dead_letters)
        cdk.CfnOutput(self, "MonitorFunctionName", value=monitor.function.function_name)

    def _grant_monitoring(self, monitor: PipelineFunction, *, config: StageConfig, storage: DataStorage,
                          execution: SageMakerExecutionRole, settings_prefix: str, dead_letters: sqs.IQueue) -> None:
        """MonitorEndpoint reads the chain endpoint -> package -> baselines, captures and ground
        truth, writes reports, puts metrics in the monitoring namespaces only and starts its
        own check jobs, passing the execution role to SageMaker only; the job reads and writes
        the same objects."""
        wildcards = grant_monitor(monitor.role, stack=self, models=monitored(config.models),
                                  artifacts_bucket_arn=storage.artifacts_bucket.bucket_arn,
                                  data_bucket_arn=storage.data_bucket.bucket_arn, settings_prefix=settings_prefix)
        monitor.role.add_to_principal_policy(execution.pass_role_statement())
        monitor.role.add_to_principal_policy(iam.PolicyStatement(actions=["sqs:SendMessage"],
                                                                 resources=[dead_letters.queue_arn]))
        storage.key.grant(monitor.role, *KEY_USE)
        acknowledge_wildcards(monitor.role, wildcards, "Reads any monitored model's settings, deployed versions, "
                              "captures, baselines and ground truth, writes reports under monitoring/ and starts "
                              "check jobs named <model>-*-dq|mq; PutMetricData has no resource (namespace condition).")
        job_wildcards = grant_check_job(execution.role, artifacts_bucket_arn=storage.artifacts_bucket.bucket_arn,
                                        data_bucket_arn=storage.data_bucket.bucket_arn)
        acknowledge_wildcards(execution.role, job_wildcards, "Monitoring check jobs read captures and ground truth "
                              "and write reports under monitoring/.")
        if model_monitored(config.models):
            # Model Monitor: MonitorEndpoint maps an execution's schedule to its model over the
            # settings; the executions (as the execution role) read captures and baselines, write
            # under monitoring/ (granted above) and publish their drift metrics.
            monitor.role.add_to_principal_policy(settings_listing_statement(self, settings_prefix))
            execution.role.add_to_principal_policy(model_monitor_metrics_statement())

    def _grant_alarm_retraining(self, start: PipelineFunction, *, storage: DataStorage) -> None:
        """StartPipeline maps an alarm to its model over every settings document and keeps each
        model's cooldown record (read, conditional write) under models/<model>/retraining/."""
        records = storage.artifacts_bucket.arn_for_objects(f"{MODELS_PREFIX}*/retraining/*")
        start.role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:GetObject", "s3:PutObject"],
                                                               resources=[records]))
        # S3 answers GetObject of a missing key with NoSuchKey (no record yet) only to a caller
        # that may list the bucket, else AccessDenied; a prefix condition cannot apply to that check.
        start.role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:ListBucket"],
                                                               resources=[storage.artifacts_bucket.bucket_arn]))
        acknowledge_wildcards(start.role, [records], "The cooldown record of whichever model an alarm belongs to.")

    def _grant_deployment(self, start: PipelineFunction, capacity: PipelineFunction, shadow: PipelineFunction, *,
                          deployment: DeploymentPipeline, storage: DataStorage, execution: SageMakerExecutionRole,
                          settings_prefix: str, dead_letters: sqs.IQueue) -> None:
        """StartDeployment reads every model's settings (to map a package group to its model) and
        starts deployments; CheckCapacity reads quotas and every endpoint of the account;
        CompareShadow reads captures and latency; endpoints write captures and read their
        rollback alarms (as SageMaker's auto-rollback documents); only the deployment state
        machine may pass the execution role, and only to SageMaker."""
        deployment.state_machine.grant_start_execution(start.function)
        start.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["ssm:GetParametersByPath"],
            resources=[self.format_arn(service="ssm", resource="parameter", resource_name=settings_prefix.strip("/"))]))
        start.role.add_to_principal_policy(iam.PolicyStatement(actions=["sqs:SendMessage"],
                                                               resources=[dead_letters.queue_arn]))
        storage.key.grant(start.role, "kms:GenerateDataKey", "kms:Decrypt")
        # Service Quotas lists and ListEndpoints support no resource-level permissions.
        capacity.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["servicequotas:ListServiceQuotas", "servicequotas:ListAWSDefaultServiceQuotas",
                     "sagemaker:ListEndpoints"], resources=["*"]))
        every_endpoint = [self.format_arn(service="sagemaker", resource=kind, resource_name="*")
                          for kind in ("endpoint", "endpoint-config")]
        capacity.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["sagemaker:DescribeEndpoint", "sagemaker:DescribeEndpointConfig"], resources=every_endpoint))
        acknowledge_wildcards(capacity.role, ["*", *every_endpoint], "Instances in use are counted over every "
                              "endpoint of the account (quotas are per account); listing has no resource ARN.")
        captures = storage.artifacts_bucket.arn_for_objects(f"{DATA_CAPTURE_PREFIX}/*")
        shadow.role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=[captures]))
        shadow.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["s3:ListBucket"], resources=[storage.artifacts_bucket.bucket_arn],
            conditions={"StringLike": {"s3:prefix": f"{DATA_CAPTURE_PREFIX}/*"}}))
        storage.key.grant(shadow.role, "kms:Decrypt")
        shadow.role.add_to_principal_policy(iam.PolicyStatement(actions=["cloudwatch:GetMetricData"], resources=["*"]))
        acknowledge_wildcards(shadow.role, ["*", captures], "Reads the capture files of any endpoint's shadow "
                              "test under data-capture/; GetMetricData has no resource-level permissions.")
        role = execution.role
        role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:PutObject"], resources=[captures]))
        role.add_to_principal_policy(iam.PolicyStatement(actions=["cloudwatch:DescribeAlarms"],
                                                         resources=deployment.arns.rollback_alarms))
        acknowledge_wildcards(role, [captures, *deployment.arns.rollback_alarms], "Endpoints write data capture "
                              "files under data-capture/ and read the rollback alarms of their deployments, whose "
                              "names are made per deployment.")
        deployment.state_machine.add_to_role_policy(execution.pass_role_statement())

    def _grant_start(self, start: PipelineFunction, *, storage: DataStorage, pipeline: TrainingPipeline,
                     settings_prefix: str, dead_letters: sqs.IQueue) -> None:
        """Start runs, read model settings, dead-letter failed events. An unknown model must
        answer ParameterNotFound, not AccessDenied, so the whole settings prefix is readable."""
        pipeline.state_machine.grant_start_execution(start.function)
        settings_arns = self.format_arn(service="ssm", resource="parameter",
                                        resource_name=f"{settings_prefix.strip('/')}/*")
        start.role.add_to_principal_policy(iam.PolicyStatement(actions=["ssm:GetParameter"], resources=[settings_arns]))
        # Listing the prefix names the configured models in an UnknownModel cause; the
        # listing is authorised on the path itself, which the wildcard above does not cover.
        start.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["ssm:GetParametersByPath"],
            resources=[self.format_arn(service="ssm", resource="parameter", resource_name=settings_prefix.strip("/"))]))
        acknowledge_wildcards(start.role, [settings_arns], "Settings are read for any uploaded model name, "
                              "so an unknown one is reported as such; the prefix holds only model settings.")
        start.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["sqs:SendMessage"], resources=[dead_letters.queue_arn]))
        storage.key.grant(start.role, "kms:GenerateDataKey", "kms:Decrypt")

    def _grant_data_steps(self, validate: PipelineFunction, prepare: PipelineFunction, *,
                          storage: DataStorage) -> None:
        """ValidateData reads the exact uploaded version; PrepareData also writes the splits."""
        datasets = storage.data_bucket.arn_for_objects(f"{DATASETS_PREFIX}*")
        models = storage.artifacts_bucket.arn_for_objects(f"{MODELS_PREFIX}*")
        self._grant_validation(validate, storage=storage, datasets=datasets, models=models)
        prepare.role.add_to_principal_policy(iam.PolicyStatement(actions=READ_VERSIONS, resources=[datasets]))
        prepare.role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:PutObject"], resources=[models]))
        storage.key.grant(prepare.role, *KEY_USE)
        acknowledge_wildcards(prepare.role, [datasets, models],
                              "Reads any dataset under datasets/ and writes splits under models/<model>/data/.")

    def _grant_validation(self, validate: PipelineFunction, *, storage: DataStorage, datasets: str,
                          models: str) -> None:
        """ValidateData reads the exact uploaded version and the user's contract, reads and writes
        the reports and the established contract under models/. ListBucket makes a contract
        that does not exist answer NoSuchKey (not AccessDenied), which means "none yet"."""
        contracts = storage.data_bucket.arn_for_objects(f"{USER_CONTRACTS_PREFIX}*")
        validate.role.add_to_principal_policy(iam.PolicyStatement(actions=READ_VERSIONS, resources=[datasets]))
        validate.role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=[contracts]))
        validate.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["s3:GetObject", "s3:PutObject"], resources=[models]))
        validate.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["s3:ListBucket"], resources=[storage.data_bucket.bucket_arn, storage.artifacts_bucket.bucket_arn]))
        storage.key.grant(validate.role, *KEY_USE)
        acknowledge_wildcards(validate.role, [datasets, contracts, models],
                              "Reads any dataset under datasets/ it is asked to check and the contracts under "
                              "contracts/; writes quality reports and contracts under models/<model>/.")

    def _grant_jobs(self, execution: SageMakerExecutionRole, *, storage: DataStorage, job_code: JobCode,
                    pipeline: TrainingPipeline) -> None:
        """SageMaker jobs read splits, models and the job code and write models and reports;
        only the state machine may pass their role, and only to SageMaker."""
        datasets = storage.data_bucket.arn_for_objects(f"{DATASETS_PREFIX}*")
        models = storage.artifacts_bucket.arn_for_objects(f"{MODELS_PREFIX}*")
        role = execution.role
        role.add_to_principal_policy(iam.PolicyStatement(
            actions=["s3:ListBucket"],  # S3Prefix inputs are listed
            resources=[storage.artifacts_bucket.bucket_arn, storage.data_bucket.bucket_arn,
                       job_code.asset.bucket.bucket_arn]))
        role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:GetObject", "s3:PutObject"], resources=[models]))
        role.add_to_principal_policy(iam.PolicyStatement(actions=READ_VERSIONS, resources=[datasets]))
        role.add_to_principal_policy(iam.PolicyStatement(
            actions=["s3:GetObject"],
            resources=[job_code.asset.bucket.arn_for_objects(job_code.asset.s3_object_key)]))
        storage.key.grant(role, *KEY_USE)
        acknowledge_wildcards(role, [datasets, models],
                              "Jobs read and write per-run objects under models/ and may read datasets/.")
        pipeline.state_machine.add_to_role_policy(execution.pass_role_statement())

    def _grant_retraining(self, start: PipelineFunction, *, pipeline: TrainingPipeline, storage: DataStorage) -> None:
        """The pipeline writes each model's latest accepted data record and reads the gate's
        decision (both under models/, encrypted with the stack key); StartPipeline reads the
        record of whichever model a retraining request names."""
        storage.key.grant(pipeline.state_machine.role, "kms:Decrypt", "kms:GenerateDataKey")
        records = storage.artifacts_bucket.arn_for_objects(f"{MODELS_PREFIX}*/data/{ACCEPTED_DATA_FILE}")
        start.role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=[records]))
        acknowledge_wildcards(start.role, [records], "A retraining request may name any configured model; only "
                              "the models' latest accepted data records are readable.")
