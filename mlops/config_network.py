"""The `network` block of a stage config: an optional VPC for the pipeline's compute.

Off by default: Lambda functions and SageMaker jobs then run in AWS's own networks (the jobs
with network isolation, so their containers reach nothing at all). On, `infra/network.py`
creates a VPC with private isolated subnets only (no internet gateway, no NAT), interface
endpoints for the AWS APIs the stack calls and an S3 gateway endpoint, and places every Lambda
function and SageMaker job in it behind one security group.

```json
"network": {"vpc": {"enabled": true, "cidr": "10.42.0.0/16", "max_azs": 2}}
```
"""

from __future__ import annotations

import ipaddress

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Each AZ gets one subnet per tier; /24 leaves 256 addresses to split across at most 3 AZs,
# /16 is the largest block a VPC may have.
MIN_PREFIX, MAX_PREFIX = 16, 24


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VpcConfig(_Strict):
    enabled: bool = False
    cidr: str = "10.42.0.0/16"
    # Subnets (and endpoint network interfaces) in this many availability zones.
    max_azs: int = Field(default=2, ge=1, le=3)

    @field_validator("cidr")
    @classmethod
    def _private_ipv4_block(cls, value: str) -> str:
        try:
            network = ipaddress.IPv4Network(value, strict=True)
        except ValueError as error:
            raise ValueError(f"'{value}' is not an IPv4 CIDR block such as 10.42.0.0/16: {error}") from None
        if not MIN_PREFIX <= network.prefixlen <= MAX_PREFIX:
            raise ValueError(f"'{value}': the prefix length must be between /{MIN_PREFIX} and /{MAX_PREFIX}")
        if not network.is_private:
            raise ValueError(f"'{value}' is not a private address range (RFC 1918)")
        return value


class NetworkConfig(_Strict):
    vpc: VpcConfig = Field(default_factory=VpcConfig)
