"""Inline SVG charts for the run report: no scripts, no fonts, no network, so the page stays
one file that renders anywhere. Every mark carries a <title> tooltip with its exact value."""

from __future__ import annotations

from html import escape

COLOURS = {"succeeded": "#2e7d32", "failed": "#c62828", "caught": "#ef6c00", "running": "#1565c0"}
PALETTE = ("#1565c0", "#ef6c00", "#6a1b9a", "#2e7d32", "#c62828", "#00838f")
WIDTH = 760


def timeline(spans: list[dict], total_seconds: float, offsets: list[float]) -> str:
    """One bar per state from its first entry to its last exit, coloured by outcome."""
    row, label_width = 18, 220
    height = row * len(spans) + 24
    scale = (WIDTH - label_width - 10) / max(total_seconds, 0.001)
    parts = [f'<svg class="chart" id="timeline-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img">']
    for index, (span, offset) in enumerate(zip(spans, offsets)):
        y = index * row + 4
        length = max(2.0, (span["wall_seconds"]) * scale)
        colour = COLOURS.get(span["outcome"], "#555")
        parts.append(f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end" class="label">{escape(span["name"])}</text>'
                     f'<rect x="{label_width + offset * scale:.1f}" y="{y}" width="{length:.1f}" height="{row - 5}" '
                     f'fill="{colour}" data-state="{escape(span["name"])}"><title>{escape(span["name"])}: '
                     f'{escape(span["duration"])} ({span["outcome"]})</title></rect>')
    parts.append(f'<text x="{label_width}" y="{height - 4}" class="axis">0 s</text>'
                 f'<text x="{WIDTH - 10}" y="{height - 4}" text-anchor="end" class="axis">{total_seconds:.1f} s</text></svg>')
    return "".join(parts)


def scatter(points: list[tuple[str, float]], best: str | None, metric: str) -> str:
    """Tuning trials: objective value per trial, in launch order, the best one ringed."""
    height, left, bottom = 220, 60, 30
    values = [v for _, v in points]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (WIDTH - left - 20) / max(len(points), 1)
    parts = [f'<svg class="chart" id="tuning-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img">',
             f'<text x="4" y="14" class="axis">{escape(metric)}</text>',
             f'<text x="{left - 6}" y="24" text-anchor="end" class="axis">{high:.4g}</text>',
             f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" class="axis">{low:.4g}</text>']
    for index, (name, value) in enumerate(points):
        x = left + step * (index + 0.5)
        y = 20 + (height - bottom - 20) * (1 - (value - low) / span)
        ring = ' stroke="#c62828" stroke-width="3"' if name == best else ""
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#1565c0"{ring}><title>{escape(name)}: '
                     f'{value:.4g}{" (best)" if name == best else ""}</title></circle>'
                     f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" class="axis">{index + 1}</text>')
    return "".join(parts) + "</svg>"


def bars(items: list[tuple[str, float]], *, chart_id: str, marker: float | None = None, marker_label: str = "") -> str:
    """Horizontal bars (champion against challenger, drift per feature), an optional threshold line."""
    row, label_width = 26, 200
    height = row * len(items) + 20
    top = max([v for _, v in items] + ([marker] if marker is not None else []) + [1e-9])
    scale = (WIDTH - label_width - 80) / top
    parts = [f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img">']
    for index, (label, value) in enumerate(items):
        y = index * row + 4
        parts.append(f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" class="label">{escape(label)}</text>'
                     f'<rect x="{label_width}" y="{y}" width="{max(1.0, value * scale):.1f}" height="{row - 8}" '
                     f'fill="{PALETTE[index % len(PALETTE)]}"><title>{escape(label)}: {value:.4g}</title></rect>'
                     f'<text x="{label_width + value * scale + 6:.1f}" y="{y + 15}" class="label">{value:.4g}</text>')
    if marker is not None:
        x = label_width + marker * scale
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height - 14}" stroke="#c62828" stroke-dasharray="4 3"/>'
                     f'<text x="{x:.1f}" y="{height - 2}" text-anchor="middle" class="axis">{escape(marker_label)}</text>')
    return "".join(parts) + "</svg>"


def lines(series: dict[str, list[tuple[float, float]]], *, chart_id: str, total_seconds: float, top: float,
          unit: str, steps: bool = False) -> str:
    """Values over the run's time (seconds since its start), one line per series, a legend below."""
    height, left, bottom = 240, 50, 50
    scale_x = (WIDTH - left - 20) / max(total_seconds, 0.001)
    scale_y = (height - bottom - 10) / (top or 1.0)
    parts = [f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img">',
             f'<line x1="{left}" x2="{WIDTH - 20}" y1="{height - bottom}" y2="{height - bottom}" stroke="#999"/>',
             f'<text x="{left - 6}" y="16" text-anchor="end" class="axis">{top:g}{unit}</text>',
             f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" class="axis">0</text>',
             f'<text x="{WIDTH - 20}" y="{height - bottom + 14}" text-anchor="end" class="axis">{total_seconds:.0f} s</text>']
    for index, (name, points) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        coords = []
        for at, value in points:
            x, y = left + at * scale_x, height - bottom - value * scale_y
            if steps and coords:
                coords.append(f"{x:.1f},{coords[-1].split(',')[1]}")
            coords.append(f"{x:.1f},{y:.1f}")
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(coords)}">'
                     f'<title>{escape(name)}</title></polyline>')
        parts.append(f'<rect x="{left + index * 250}" y="{height - 24}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{left + index * 250 + 14}" y="{height - 15}" class="label">{escape(name)}</text>')
    return "".join(parts) + "</svg>"
