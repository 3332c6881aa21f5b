"""Summaries of the throughput runs: medians over rounds, markdown tables, the targets' verdicts."""

from __future__ import annotations

import statistics

NAMES = {"core": "our core (statistics + check_constraints)", "pandas": "plain vectorised pandas",
         "pandera": "pandera", "gx": "Great Expectations", "parse": "parse only"}


def summarise(config: dict, runs: list) -> dict:
    """One configuration's figures over all its processes and checks runs.

    Wall seconds are the best (minimum) run, timeit's convention: this machine is shared with
    other engineers' test runs, and the least disturbed run is the closest to the code's own
    cost. CPU seconds (medians) barely move with load and back the wall figures up. Memory
    figures are the maximum.
    """
    outputs = [run.output for run in runs]
    row = {**config, "rounds": len(runs), "rows": outputs[0]["rows"],
           "parse_s": _best(o["parse_s"]["wall"] for o in outputs),
           "parse_cpu_s": _median(o["parse_s"]["cpu"] for o in outputs),
           "rss_after_parse_mb": max(o["rss_after_parse_mb"] for o in outputs),
           "peak_rss_mb": round(max(run.peak_rss_mb for run in runs), 1),
           "string_dtype": outputs[0]["string_dtype"], "pandas": outputs[0]["pandas"],
           "busy_before": [run.busy_before for run in runs]}
    if config["impl"] != "parse":
        row.update(checks_s=_best(r["wall"] for o in outputs for r in o["checks_s"]),
                   checks_median_s=_median(r["wall"] for o in outputs for r in o["checks_s"]),
                   checks_cpu_s=_median(r["cpu"] for o in outputs for r in o["checks_s"]),
                   report_s=_best(o["report_s"]["wall"] for o in outputs),
                   checks_extra_peak_mb=max(max(o["checks_extra_peak_mb"]) for o in outputs),
                   findings_match=all(o["findings_match"] for o in outputs),
                   findings=outputs[0]["findings"])
        # One invocation's parse + first checks run + report, best over processes.
        row["end_to_end_s"] = _best(o["parse_s"]["wall"] + o["checks_s"][0]["wall"] + o["report_s"]["wall"]
                                    for o in outputs)
    return row


def _median(values) -> float:
    return round(statistics.median(list(values)), 3)


def _best(values) -> float:
    return round(min(values), 3)


def checks_table(rows: list[dict]) -> str:
    baseline = next((r["checks_s"] for r in rows if r["impl"] == "pandas"), None)
    lines = ["| implementation | checks s (best) | median | CPU s | rows/s (checks) | x plain pandas "
             "| parse + checks + report s | extra peak MB (checks) | process peak RSS MB | same 5 findings |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = f"{r['checks_s'] / baseline:.2f}" if baseline else "-"
        lines.append(f"| {NAMES[r['impl']]} | {r['checks_s']:.2f} | {r['checks_median_s']:.2f} | {r['checks_cpu_s']:.2f} "
                     f"| {r['rows'] / r['checks_s']:,.0f} | {ratio} "
                     f"| {r['end_to_end_s']:.2f} | {r['checks_extra_peak_mb']:.0f} | {r['peak_rss_mb']:.0f} "
                     f"| {'yes' if r['findings_match'] else 'NO: ' + str(r['findings'])} |")
    return "\n".join(lines)


def parse_table(rows: list[dict], size_mb: float) -> str:
    lines = ["| venv | engine | strings | parse s (best) | CPU s | MB/s | RSS after parse MB |",
             "|---|---|---|---|---|---|---|"]
    seen = set()
    for r in rows:
        key = (r["venv"], r["engine"], r["string_dtype"])
        if key in seen:
            continue
        seen.add(key)
        lines.append(f"| {r['venv']} | {r['engine']} | {_strings(r['string_dtype'])} | {r['parse_s']:.2f} "
                     f"| {r['parse_cpu_s']:.2f} | {size_mb / r['parse_s']:.0f} | {r['rss_after_parse_mb']:.0f} |")
    return "\n".join(lines)


def _strings(dtype: str) -> str:
    return "Python objects" if "python" in dtype else "pyarrow"


def verdicts(rows: list[dict]) -> list[str]:
    """The issue's three targets, for each setting that has a core run."""
    out = []
    for setting in sorted({r["setting"] for r in rows if r["impl"] == "core"}):
        by_impl = {r["impl"]: r for r in rows if r["setting"] == setting}
        core = by_impl["core"]
        out.append(f"[{setting}] end to end {core['end_to_end_s']:.2f} s (target < 2.5 s): "
                   f"{'met' if core['end_to_end_s'] < 2.5 else 'MISSED'}")
        # Both clocks: the best wall runs may have met different loads; CPU seconds barely do.
        for peer, factor in (("pandera", 1.0), ("pandas", 1.5)):
            for clock, key in (("wall", "checks_s"), ("CPU", "checks_cpu_s")):
                if peer in by_impl:
                    limit = factor * by_impl[peer][key]
                    out.append(f"[{setting}] checks {clock} {core[key]:.2f} s vs {factor} x {peer} = {limit:.2f} s: "
                               f"{'met' if core[key] <= limit else 'MISSED'}")
    return out
