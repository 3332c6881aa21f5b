"""Plain-text run summaries for the terminal."""

from __future__ import annotations

import click


def print_success(summary) -> None:
    out = summary.output
    data = out.get("data", {})
    validation = out.get("validation", {})
    training = out.get("training", {})
    click.secho("\nPipeline run SUCCEEDED", fg="green", bold=True)
    click.echo(f"  execution:        {summary.execution_arn}")
    click.echo(f"  data:             s3://{data.get('bucket')}/{data.get('key')}")
    click.echo(f"  data version id:  {data.get('version_id')}")
    click.echo(f"  validation:       {'passed' if validation.get('valid') else 'failed'} "
               f"({validation.get('rows')} rows, {len(validation.get('columns') or [])} columns)")
    click.echo(f"  training job:     {training.get('TrainingJobName')}")
    for metric in training.get("FinalMetricDataList") or []:
        click.echo(f"    {metric['MetricName']:<22} {metric['Value']:.4f}")
    evaluation = summary.evaluation
    if evaluation:
        click.echo("  evaluation on the held-out test split:")
        for group, metrics in evaluation.items():
            if not group.endswith("_metrics") or not isinstance(metrics, dict):
                continue
            for name, value in metrics.items():
                if isinstance(value, dict) and "value" in value:
                    click.echo(f"    {name:<22} {value['value']:.4f}")
    decision = (out.get("gate") or {}).get("decision")
    if isinstance(decision, dict):
        click.echo(f"  gate:             {'passed' if decision.get('passed') else 'rejected'}"
                   f" ({decision.get('metric')} {(decision.get('candidate') or {}).get('score')})")
        if decision.get("cause"):
            click.echo(f"                    {decision['cause']}")
    click.echo(f"  model package:    {out.get('registration', {}).get('ModelPackageArn')}")


def print_failure(summary) -> None:
    click.secho(f"\nPipeline run {summary.status}", fg="red", bold=True, err=True)
    click.echo(f"  execution:     {summary.execution_arn}", err=True)
    click.echo(f"  failed state:  {summary.failed_state}", err=True)
    click.echo(f"  error:         {summary.error}", err=True)
    click.echo(f"  cause:         {summary.cause}", err=True)
