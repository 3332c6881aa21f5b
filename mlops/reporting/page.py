"""The report page: one HTML file with its CSS, a few lines of JS and SVG charts inline (no
network), sections in the order a run happens. Tables carry data-* attributes so tests (and
scripts) can read what a person sees."""

from __future__ import annotations

from datetime import datetime
from html import escape

from mlops.reporting import svg
from mlops.reporting.page_sections import evaluation_section, lineage_section, validation_section
from mlops.reporting.timeline import format_seconds

STYLE = """body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:820px;color:#222}
h1{font-size:22px;margin:0}h2{font-size:17px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
th{background:#f5f5f5}.status{font-weight:bold;padding:2px 8px;border-radius:4px;color:#fff}
.SUCCEEDED{background:#2e7d32}.FAILED,.TIMED_OUT,.ABORTED{background:#c62828}.RUNNING{background:#1565c0}
.succeeded{color:#2e7d32}.failed{color:#c62828}.caught{color:#ef6c00}.running{color:#1565c0}
.chart .label{font-size:11px}.chart .axis{font-size:10px;fill:#666}pre{background:#f7f7f7;padding:8px;white-space:pre-wrap}
tr.hl td{background:#fff8e1}.muted{color:#777}"""
# Hovering a state's row highlights its bar in the timeline, and the other way round.
SCRIPT = """document.querySelectorAll('#states tr[data-state]').forEach(function(row){
var bar=document.querySelector('#timeline-chart rect[data-state="'+row.dataset.state+'"]');if(!bar)return;
function on(){row.classList.add('hl');bar.setAttribute('stroke','#000')}
function off(){row.classList.remove('hl');bar.removeAttribute('stroke')}
row.addEventListener('mouseenter',on);row.addEventListener('mouseleave',off);
bar.addEventListener('mouseenter',on);bar.addEventListener('mouseleave',off)});"""


def render_page(report: dict) -> str:
    sections = [_header(report), _timeline(report)]
    if report["kind"] == "training":
        sections += [validation_section(report.get("validation") or {}, report.get("data")),
                     _tuning(report.get("tuning")), evaluation_section(report.get("evaluation"), report.get("gate"))]
    else:
        sections += [_traffic(report), _drift(report.get("drift"))]
    sections.append(lineage_section(report))
    body = "\n".join(s for s in sections if s)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Run {escape(report["name"])}</title>'
            f"<style>{STYLE}</style></head><body>{body}<script>{SCRIPT}</script></body></html>\n")


def _header(report: dict) -> str:
    problem = ""
    if report.get("error"):
        problem = (f'<p id="failure"><b>{escape(report["error"])}</b>: {escape(report.get("cause") or "")}</p>')
    return (f'<h1>{escape(report["kind"].title())} run {escape(report["name"])}</h1>'
            f'<p><span class="status {escape(report["status"])}" id="run-status">{escape(report["status"])}</span> '
            f'model <b>{escape(str(report.get("model")))}</b>, started {escape(report["started"])}, took '
            f'{format_seconds(report["seconds"])}</p><p class="muted">{escape(report["arn"])}</p>{problem}')


def _timeline(report: dict) -> str:
    start = datetime.fromisoformat(report["started"])
    spans, offsets = [], []
    for state in report["states"]:
        entered = datetime.fromisoformat(state["entered"])
        exited = datetime.fromisoformat(state["exited"]) if state["exited"] else None
        offsets.append((entered - start).total_seconds())
        wall = ((exited - entered).total_seconds() if exited else report["seconds"] - offsets[-1])
        spans.append({**state, "duration": format_seconds(state["seconds"]), "wall_seconds": max(wall, 0.0)})
    rows = "".join(
        f'<tr data-state="{escape(s["name"])}" data-seconds="{s["seconds"]}" data-outcome="{s["outcome"]}">'
        f'<td class="name">{escape(s["name"])}</td><td class="kind">{escape(s["kind"])}</td>'
        f'<td class="duration">{s["duration"]}</td><td class="visits">{s["visits"]}</td>'
        f'<td class="outcome {s["outcome"]}">{s["outcome"]}</td></tr>' for s in spans)
    return ("<h2>Pipeline timeline</h2>" + svg.timeline(spans, report["seconds"], offsets) +
            '<table id="states"><tr><th>state</th><th>type</th><th>time in state</th><th>visits</th>'
            f"<th>outcome</th></tr>{rows}</table>")


def _tuning(tuning: dict | None) -> str:
    if not tuning:
        return ""
    points = [(t["name"], t["objective"]) for t in tuning["trials"] if t["objective"] is not None]
    metric = next((t["metric"] for t in tuning["trials"] if t["metric"]), "objective")
    rows = "".join(f'<tr data-trial="{escape(t["name"])}"><td>{escape(t["name"])}{" (best)" if t["name"] == tuning["best"] else ""}'
                   f'</td><td>{escape(str(t["status"]))}</td><td class="objective">'
                   f'{_number(t["objective"])}</td>'
                   f'<td>{escape(", ".join(f"{k}={v}" for k, v in sorted(t["hyperparameters"].items())))}</td></tr>'
                   for t in tuning["trials"])
    chart = svg.scatter(points, tuning["best"], metric) if points else "<p>No trial reported the objective.</p>"
    return (f'<h2>Hyperparameter tuning ({len(tuning["trials"])} trials of {escape(tuning["job"])})</h2>{chart}'
            f'<table id="tuning-trials"><tr><th>trial</th><th>status</th><th>{escape(metric)}</th>'
            f"<th>hyperparameters</th></tr>{rows}</table>")


def _traffic(report: dict) -> str:
    deployment = report["deployment"]
    start = datetime.fromisoformat(report["started"])
    weights = deployment["weights"]
    configs = sorted({c for step in weights for c in step["shares"]})
    series = {c: [((datetime.fromisoformat(s["at"]) - start).total_seconds(), 100 * s["shares"].get(c, 0.0))
                  for s in weights] for c in configs}
    out = [f'<h2>Deployment to {escape(deployment["endpoint"])} ({escape(str(deployment["strategy"]))})</h2>',
           f'<p>New endpoint config: <b>{escape(str(deployment["new_config"]))}</b></p>',
           "<h3>Traffic weights over time</h3>"]
    if weights:
        out.append(svg.lines(series, chart_id="weights-chart", total_seconds=report["seconds"], top=100, unit="%", steps=True))
        header = "".join(f"<th>{escape(c)}</th>" for c in configs)
        rows = "".join(f'<tr data-at="{s["at"]}"><td>+{(datetime.fromisoformat(s["at"]) - start).total_seconds():.0f} s</td>'
                       + "".join(f'<td data-config="{escape(c)}" data-share="{s["shares"].get(c, 0.0)}">'
                                 f'{100 * s["shares"].get(c, 0.0):.0f}%</td>' for c in configs)
                       + f'<td>{escape(str(s.get("status")))}</td></tr>' for s in weights)
        out.append(f'<table id="canary-weights"><tr><th>time</th>{header}<th>endpoint</th></tr>{rows}</table>')
    else:
        out.append("<p>The run made no DescribeEndpoint with traffic weights.</p>")
    served = deployment["invocations"]
    if served:
        lines = {c: [((datetime.fromisoformat(at) - start).total_seconds(), v) for at, v in pts] for c, pts in served.items()}
        top = max([v for pts in served.values() for _, v in pts] + [1])
        out += ["<h3>Requests served per endpoint config (CloudWatch Invocations)</h3>",
                svg.lines(lines, chart_id="invocations-chart", total_seconds=report["seconds"], top=top, unit="")]
    alarms = deployment["alarms"]
    out.append("<h3>Rollback alarms</h3>")
    out.append('<table id="alarm-changes"><tr><th>time</th><th>alarm</th><th>state</th><th>why</th></tr>' + "".join(
        f'<tr data-alarm="{escape(a["alarm"])}"><td>+{(datetime.fromisoformat(a["at"]) - start).total_seconds():.0f} s</td>'
        f'<td>{escape(a["alarm"])}</td><td>{escape(a["state"])}</td><td>{escape(a["summary"])}</td></tr>' for a in alarms)
        + "</table>" if alarms else "<p>No alarm changed state during the run.</p>")
    return "".join(out)


def _drift(drift: dict | None) -> str:
    if not drift:
        return "<h2>Drift</h2><p>No monitoring report for this endpoint yet.</p>"
    distances = sorted(drift["distances"].items())
    chart = svg.bars(distances, chart_id="drift-chart") if distances else ""
    rows = "".join(f'<tr><td>{escape(v.get("feature_name", ""))}</td><td>{escape(v.get("constraint_check_type", ""))}</td>'
                   f'<td>{escape(v.get("description", ""))}</td></tr>' for v in drift["violations"])
    return (f'<h2>Drift per feature against the baseline</h2><p class="muted">{escape(drift["report"])}</p>{chart}'
            f'<table id="drift-violations"><tr><th>feature</th><th>check</th><th>description</th></tr>{rows}</table>')


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"
