"""Local execution of SageMaker training and processing jobs (see `sagemaker_runner`)."""
