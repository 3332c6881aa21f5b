"""Who can do what, read off a synthesized template: for every IAM role, who assumes it and
each statement's actions, resources and conditions, in Markdown for docs/SECURITY.md.

The table is generated, never written by hand, so the doc says what the template grants:
tests/infra/test_security_docs.py renders it from the test synth and compares it with the doc
(`UPDATE_SECURITY_DOC=1` rewrites the doc's section instead). Model and package group names
are written `<model>` and `<group>`, so the table does not depend on the config's models.

    python -m infra.access_table cdk.out/MlopsStack.template.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from infra.nag import flatten

START, END = "<!-- access-table:start -->", "<!-- access-table:end -->"
_HASH = re.compile(r"([A-Za-z0-9]+?)[0-9A-F]{8}\b")  # CDK's logical id suffix
_ARN = re.compile(r"arn:<AWS::Partition>:([a-z0-9-]+):[a-z0-9-]*:(?:<AWS::AccountId>)?:?")
_ASSET = re.compile(r"\b[0-9a-f]{64}\b")  # an asset's content hash: changes with the code, not the access


def render(template: dict, *, models: list[str], groups: list[str]) -> str:
    """The Markdown of every role in `template`, sorted by name."""
    resources = template["Resources"]
    policies = [r for r in resources.values() if r["Type"] == "AWS::IAM::Policy"]
    sections = []
    for logical_id in sorted(lid for lid, r in resources.items() if r["Type"] == "AWS::IAM::Role"):
        role = resources[logical_id]["Properties"]
        statements = [s for policy in policies if {"Ref": logical_id} in policy["Properties"]["Roles"]
                      for s in policy["Properties"]["PolicyDocument"]["Statement"]]
        statements += [s for inline in role.get("Policies", []) for s in inline["PolicyDocument"]["Statement"]]
        principal = role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
        head = (f"**{_short(logical_id)}** (assumed by `{_text(principal.get('Service') or principal)}`)"
                + (f": {role['Description']}" if role.get("Description") else ""))
        rows = sorted({_row(s, models, groups) for s in statements})
        sections.append("\n".join([head, "", "| actions | resources | condition |", "|---|---|---|", *rows]))
    return "\n\n".join(sections) + "\n"


def replace_section(document: str, table: str) -> str:
    before, _, rest = document.partition(START)
    _, _, after = rest.partition(END)
    return f"{before}{START}\n{table}{END}{after}"


def section_of(document: str) -> str:
    return document.partition(START)[2].partition(END)[0].lstrip("\n")


def _row(statement: dict, models: list[str], groups: list[str]) -> str:
    actions = ", ".join(sorted(_as_list(statement["Action"]), key=str.lower))
    resources = "<br>".join(sorted({_resource(r, models, groups) for r in _as_list(statement["Resource"])}))
    condition = _text(statement.get("Condition", "")) if statement.get("Condition") else ""
    effect = "" if statement.get("Effect", "Allow") == "Allow" else "**Deny** "
    return f"| {effect}{actions} | {resources} | {_names(condition, models, groups)} |"


def _resource(value: Any, models: list[str], groups: list[str]) -> str:
    text = _ARN.sub(lambda m: f"{m.group(1)}:", flatten(value))
    return f"`{_names(_short(_ASSET.sub('<asset hash>', text)), models, groups)}`"


def _names(text: str, models: list[str], groups: list[str]) -> str:
    for group in sorted(groups, key=len, reverse=True):
        text = re.sub(re.escape(group), "<group>", text, flags=re.IGNORECASE)
    for model in sorted(models, key=len, reverse=True):
        text = re.sub(rf"(?<![a-z0-9]){re.escape(model)}(?![a-z0-9])", "<model>", text)
    return text.replace("|", "\\|")


def _short(text: str) -> str:
    return _HASH.sub(r"\1", text)


def _text(value: Any) -> str:
    return flatten(value) if not isinstance(value, (dict, list)) else json.dumps(
        json.loads(json.dumps(value, default=str)), separators=(", ", ": ")).replace("{\"Ref\": \"AWS::AccountId\"}",
                                                                                   "<account>")


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


if __name__ == "__main__":
    path = Path(sys.argv[1])
    template = json.loads(path.read_text())
    parameters = [r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::SSM::Parameter"]
    names = [p["Name"].rsplit("/", 1)[-1] for p in parameters]
    group_names = [r["Properties"]["ModelPackageGroupName"] for r in template["Resources"].values()
                   if r["Type"] == "AWS::SageMaker::ModelPackageGroup"]
    print(render(template, models=names, groups=group_names), end="")
