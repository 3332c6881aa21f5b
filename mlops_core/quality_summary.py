"""summary.md: the human report written next to every data version, accepted or not."""

from __future__ import annotations

from mlops_core.validation_report import Problem, ValidationReport

FILES = ("statistics.json", "constraints.json", "constraint_violations.json")


def render_summary(report: ValidationReport, *, statistics: dict | None, data: str, quality_prefix: str) -> str:
    verdict = "accepted" if report.valid else "REJECTED"
    lines = [
        f"# Data validation: {verdict}",
        "",
        f"- Data: {data}",
        f"- Rows: {report.rows}, columns: {len(report.columns)}",
        f"- Data contract: {_contract(report.contract)}",
        "",
        report.summary(),
        "",
    ]
    lines += _findings("Problems (the data is rejected)", report.problems)
    lines += _findings("Warnings (reported, not rejected)", report.warnings)
    lines += _columns(statistics)
    lines += ["## Files", ""] + [f"- {quality_prefix}{name}" for name in FILES] + [""]
    return "\n".join(lines)


def _contract(contract: dict) -> str:
    origin = contract.get("origin", "none")
    if origin == "new":
        return "none yet: this dataset establishes it"
    if origin == "none":
        return "none yet (only an accepted dataset establishes it)"
    return f"{origin}, {contract.get('constraints')}"


def _findings(title: str, problems: list[Problem]) -> list[str]:
    if not problems:
        return []
    rows = [f"| {_cell(p.check)} | {_cell(p.column or '')} | {_cell(p.message)} |" for p in problems]
    return [f"## {title}", "", "| check | column | what |", "|---|---|---|", *rows, ""]


def _columns(statistics: dict | None) -> list[str]:
    if not statistics:
        return []
    rows = []
    for feature in statistics.get("features", []):
        block = feature.get("numerical_statistics") or feature.get("string_statistics") or {}
        common = block.get("common", {})
        if "mean" in block:
            shape = f"mean {block['mean']:.4g}, min {block['min']:.4g}, max {block['max']:.4g}"
        else:
            shape = f"{block.get('distinct_count', 0):.0f} distinct values"
        rows.append(f"| {_cell(feature['name'])} | {feature['inferred_type']} | {common.get('num_present', 0)} "
                    f"| {common.get('num_missing', 0)} | {shape} |")
    return ["## Features", "", "| column | type | present | missing | values |", "|---|---|---|---|---|",
            *rows, ""]


def _cell(text: str) -> str:
    # A '|' would end the cell and a newline the row.
    return " ".join(str(text).split()).replace("|", "\\|")
