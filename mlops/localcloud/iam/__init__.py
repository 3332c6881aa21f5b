"""Every AWS call of the deployed stack, checked against the role that made it.

`EmbeddedCloud(..., iam_check=True)` records each call that a Lambda function, a state machine
task, a SageMaker job or EventBridge makes, with the role (or service principal) that made it,
the IAM actions it needs and the resources they apply to; `cloud.iam.findings()` evaluates them
against the policies of the synthesized templates with a real policy simulator, and
`cloud.iam.assert_allowed()` fails with a report naming each refused role, action and resource.
"""

from mlops.localcloud.iam.checker import IamCheck, Mark
from mlops.localcloud.iam.report import Findings, IamCheckFailed, Refusal, Unchecked

__all__ = ["Findings", "IamCheck", "IamCheckFailed", "Mark", "Refusal", "Unchecked"]
