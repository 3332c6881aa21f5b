"""The training-run sections of the report page: validation, evaluation and gate, lineage."""

from __future__ import annotations

from html import escape

from mlops.reporting import svg


def validation_section(validation: dict, data: dict | None) -> str:
    out = ["<h2>Data validation</h2>"]
    if data:
        out.append(f'<p>Data: <code>s3://{escape(str(data.get("bucket")))}/{escape(str(data.get("key")))}</code> version '
                   f'<code id="data-version">{escape(str(data.get("version_id")))}</code></p>')
    statistics = validation.get("statistics") or {}
    features = statistics.get("features") or []
    if features:
        rows = []
        for feature in features:
            numeric = feature.get("numerical_statistics")
            stats = numeric or feature.get("string_statistics") or {}
            common = stats.get("common") or {}
            present, missing = common.get("num_present", 0), common.get("num_missing", 0)
            detail = (f'mean {numeric.get("mean", 0):.4g}, min {numeric.get("min", 0):.4g}, max {numeric.get("max", 0):.4g}'
                      if numeric else f'{stats.get("distinct_count", "?")} distinct values')
            completeness = present / (present + missing) if present + missing else 0.0
            rows.append(f'<tr data-feature="{escape(feature.get("name", ""))}"><td>{escape(feature.get("name", ""))}</td>'
                        f'<td>{escape(str(feature.get("inferred_type")))}</td><td>{completeness:.1%}</td><td>{detail}</td></tr>')
        item_count = (statistics.get("dataset") or {}).get("item_count")
        out.append(f"<p>{item_count} rows, {len(features)} features (target left out)</p>"
                   '<table id="feature-statistics"><tr><th>feature</th><th>type</th><th>complete</th><th>distribution</th></tr>'
                   + "".join(rows) + "</table>")
    if validation.get("summary"):
        out.append(f'<details open><summary>summary.md</summary><pre id="validation-summary">'
                   f'{escape(validation["summary"])}</pre></details>')
    if len(out) == 1:
        out.append("<p>The run stopped before validation wrote its report.</p>")
    return "".join(out)


def evaluation_section(evaluation: dict | None, gate: dict | None) -> str:
    if not evaluation:
        return "<h2>Evaluation</h2><p>The run stopped before evaluation.</p>"
    group = next((k for k in evaluation if k.endswith("_metrics")), None)
    metrics = evaluation.get(group) or {}
    rows = "".join(f'<tr data-metric="{escape(name)}"><td>{escape(name)}</td><td>{value["value"]:.4f}</td></tr>'
                   for name, value in metrics.items() if isinstance(value, dict) and "value" in value)
    out = [f'<h2>Evaluation on the held-out test split ({(evaluation.get("dataset") or {}).get("item_count")} rows)</h2>',
           f'<table id="metrics"><tr><th>metric</th><th>value</th></tr>{rows}</table>']
    matrix = metrics.get("confusion_matrix")
    if isinstance(matrix, dict) and matrix:
        labels = sorted({*matrix, *(p for row in matrix.values() for p in row)})
        head = "".join(f"<th>{escape(p)}</th>" for p in labels)
        body = "".join(f'<tr><th>{escape(a)}</th>' + "".join(
            f'<td data-actual="{escape(a)}" data-predicted="{escape(p)}"{" class=diag" if a == p else ""}>'
            f'{(matrix.get(a) or {}).get(p, 0)}</td>' for p in labels) + "</tr>" for a in labels)
        out.append('<h3>Confusion matrix (rows: actual, columns: predicted)</h3>'
                   f'<table id="confusion-matrix"><tr><th></th>{head}</tr>{body}</table>')
    if gate:
        out.append(_gate(gate))
    return "".join(out)


def _gate(gate: dict) -> str:
    champion = gate.get("champion") or {}
    items = [("challenger (this run)", gate["candidate"]["score"])] if gate["candidate"].get("score") is not None else []
    if champion.get("score") is not None:
        items.append((f'champion (version {champion.get("version")})', champion["score"]))
    verdict = "passed" if gate.get("passed") else "rejected"
    chart = svg.bars(items, chart_id="gate-chart", marker=gate.get("threshold"),
                     marker_label=f'threshold {gate.get("threshold")}') if items else ""
    note = (f'<p>Champion: {escape(str(champion.get("model_package_arn")))}'
            + (f' (not comparable: {escape(champion["error"])})' if champion.get("error") else "") + "</p>"
            if champion else "<p>No approved champion: only the threshold counted.</p>")
    return (f'<h2>Champion against challenger: <span id="gate-verdict" class="{"succeeded" if gate.get("passed") else "failed"}">'
            f'{verdict}</span></h2><p>{escape(str(gate.get("metric")))}, tolerance {gate.get("tolerance")}</p>{chart}{note}'
            + (f'<p id="gate-cause">{escape(gate["cause"])}</p>' if gate.get("cause") else ""))


def lineage_section(report: dict) -> str:
    package = report.get("model_package")
    if not package:
        return "<h2>Registered version</h2><p>Nothing was registered by this run.</p>"
    meta = package["metadata"]
    chain = [("data", f's3://{meta.get("DataBucket")}/{meta.get("DataKey")}' if meta.get("DataKey") else None),
             ("data version", meta.get("DataVersionId")), ("training run", meta.get("RunId")),
             ("training job", meta.get("TrainingJobName")), ("evaluation job", meta.get("EvaluationJobName")),
             ("experiment / trial", f'{meta.get("ExperimentName")} / {meta.get("TrialName")}' if meta.get("TrialName") else None),
             ("code version", meta.get("CodeVersion")), ("model artifact", package.get("model_data")),
             ("model package", f'{package["group"]} version {package["version"]} ({package["status"]})'),
             ("deployment", f'{meta.get("DeploymentStatus")} to {meta.get("EndpointName")} ({meta.get("EndpointConfigName")})'
              if meta.get("DeploymentStatus") else None)]
    rows = "".join(f'<tr data-link="{escape(k)}"><th>{escape(k)}</th><td><code>{escape(str(v))}</code></td></tr>'
                   for k, v in chain if v)
    return (f'<h2>Registered version {package["version"]} and its lineage</h2><p class="muted">{escape(package["arn"])}</p>'
            f'<table id="lineage">{rows}</table>')
