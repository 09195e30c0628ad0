"""Plotly figures as plain dicts, built from already-aggregated rows.

Pure functions: no queries, no HTTP, so they are tested directly. Templates pass the
dicts to the browser with json_script; static/js/charts.js draws them.
"""

import textwrap
from collections import Counter, defaultdict

import plotly.graph_objects as go

from jurisdictions.control import ControlStatus

CONTROL_COLORS = {
    ControlStatus.CONTROLS: "#1b7837",
    ControlStatus.SHARES: "#e6a100",
    ControlStatus.DOES_NOT_CONTROL: "#b2182b",
    ControlStatus.UNKNOWN: "#8c8c8c",
}
# A state's colour on the map: the most telling status among its targeted jurisdictions.
MAP_PRIORITY = [ControlStatus.DOES_NOT_CONTROL, ControlStatus.SHARES, ControlStatus.UNKNOWN, ControlStatus.CONTROLS]
LAYOUT = {"template": "none", "margin": {"l": 40, "r": 10, "t": 10, "b": 40}, "legend": {"orientation": "h", "y": -0.2}}


def letters_over_time(rows):
    """rows: (month date, program, letters). Stacked bars by program."""
    by_program = defaultdict(dict)
    for month, program, letters in rows:
        by_program[program][month.strftime("%Y-%m")] = letters
    fig = go.Figure(
        [go.Bar(name=program, x=list(counts), y=list(counts.values())) for program, counts in by_program.items()]
    )
    month_axis = {"type": "category", "title": "Month sent", "categoryorder": "category ascending"}
    fig.update_layout(barmode="stack", xaxis=month_axis, yaxis={"title": "Letters"}, **LAYOUT)
    return fig.to_plotly_json()


def demanded_vs_controlled(conditions, tally):
    """conditions: Condition objects; tally: control_tally() output. Stacked horizontal
    bars per status, one per condition named in words (its code is only the hover's)."""
    names = ["<br>".join(textwrap.wrap(c.name, 32)) for c in conditions]
    bars = [
        go.Bar(
            name=status.label,
            y=names,
            x=[tally.get(c.pk, {}).get(status.value, 0) for c in conditions],
            orientation="h",
            marker={"color": CONTROL_COLORS[status]},
        )
        for status in ControlStatus
    ]
    fig = go.Figure(bars)
    fig.update_layout(
        barmode="stack",
        xaxis={"title": "Demands"},
        yaxis={"automargin": True, "autorange": "reversed"},
        **LAYOUT,
    )
    return fig.to_plotly_json()


def state_status(jurisdictions):
    """{state: (status, Counter of statuses)} for the map and its table."""
    by_state = defaultdict(Counter)
    for row in jurisdictions:
        by_state[row["state"]][row["jail_control"]] += 1
    return {state: (next(s for s in MAP_PRIORITY if counts[s]), counts) for state, counts in sorted(by_state.items())}


def control_map(jurisdictions):
    """Choropleth of states holding targeted jurisdictions, coloured by jail control."""
    states = state_status(jurisdictions)
    names = defaultdict(list)
    for row in jurisdictions:
        names[row["state"]].append(f"{row['name']}: {ControlStatus(row['jail_control']).label}")
    traces = []
    for status in MAP_PRIORITY:
        codes = [code for code, (s, _) in states.items() if s == status]
        if not codes:
            continue
        traces.append(
            go.Choropleth(
                name=status.label,
                locations=codes,
                locationmode="USA-states",
                z=[1] * len(codes),
                colorscale=[[0, CONTROL_COLORS[status]], [1, CONTROL_COLORS[status]]],
                showscale=False,
                showlegend=True,
                text=["<br>".join(names[code]) for code in codes],
                hovertemplate="%{location}<br>%{text}<extra></extra>",
            )
        )
    fig = go.Figure(traces)
    fig.update_layout(geo={"scope": "usa", "projection": {"type": "albers usa"}}, **LAYOUT)
    return fig.to_plotly_json()
