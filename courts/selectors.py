"""Reads for the condition pages: a condition's court history by circuit, and where it
stands now, both from the court decisions alone."""

import re
from collections import defaultdict

from jurisdictions.states import CIRCUITS, circuit_of

from .models import CourtDecision


def pluralize(items):
    return "s" if len(items) > 1 else ""


NATIONAL = "National (Supreme Court and DOJ)"
# District courts as litigation.csv abbreviates their states (28 U.S.C. § 41 for the circuit).
DISTRICT_STATES = {
    "Ill.": "IL",
    "Pa.": "PA",
    "Cal.": "CA",
    "N.Y.": "NY",
    "R.I.": "RI",
    "Or.": "OR",
    "Colo.": "CO",
    "N.M.": "NM",
}
APPELLATE = re.compile(r"^(\d+(?:st|nd|rd|th)) Cir\.")


def circuit_of_court(court):
    """The circuit a court sits in, or NATIONAL for the Supreme Court and DOJ."""
    appellate = APPELLATE.match(court)
    if appellate:
        return appellate.group(1)
    for abbreviation, state in DISTRICT_STATES.items():
        if court.endswith(abbreviation):
            return circuit_of(state)
    return NATIONAL


def court_history(condition):
    """[(circuit, [decisions oldest first])], circuits in numeric order, national last."""
    decisions = CourtDecision.objects.filter(conditions=condition).prefetch_related("programs", "sources")
    by_circuit = defaultdict(list)
    for decision in decisions.order_by("decided_on", "pk"):
        by_circuit[circuit_of_court(decision.court)].append(decision)
    order = [*CIRCUITS, NATIONAL]
    return sorted(by_circuit.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))


def where_it_stands(history):
    """Plain-words lines: each circuit's latest appellate holding (the split), the
    Supreme Court's last word, and DOJ's last action."""
    lines, held = [], defaultdict(list)
    for circuit, decisions in history:
        appellate = [d for d in decisions if d.precedent_circuit and d.holding in ("blocked", "upheld")]
        if appellate:
            held[appellate[-1].holding].append(circuit)
    for holding, verb in (("blocked", "Held unlawful"), ("upheld", "Upheld")):
        circuits = held.get(holding, [])
        if circuits:
            lines.append(f"{verb} on appeal in the {', '.join(circuits)} Circuit{pluralize(circuits)}.")
    if held.get("blocked") and held.get("upheld"):
        lines.append("The circuits split.")
    national = dict(history).get(NATIONAL, [])
    supreme = [d for d in national if "Supreme" in d.court and d.decided_on]
    if supreme:
        last_day = supreme[-1].decided_on
        for decision in (d for d in supreme if d.decided_on == last_day):
            lines.append(f"The Supreme Court, {last_day:%B %-d, %Y}: {decision.outcome}")
    doj = [d for d in national if d.binding_effect in ("imposes_conditions", "ends_conditions")]
    if doj:
        last = doj[-1]
        when = f"{last.decided_on:%B %-d, %Y}" if last.decided_on else "date not given"
        lines.append(f"DOJ's last action ({when}): {last.outcome}")
    ruled = any(d.holding in ("blocked", "upheld", "mixed") for _, decisions in history for d in decisions)
    if not ruled:
        lines.insert(0, "No court has ruled on this condition.")
    return lines
