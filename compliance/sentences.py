"""The plain-words sentence for each part of the answer: the only place they are
written, so pages, exports and the admin say the same thing. "Not researched" and
"none found" stay distinct; neither is ever written as "none"."""

from letters.models import LetterStatus

from .verdicts import CourtVerdict, LawVerdict


def _date(day):
    return f"{day:%B} {day.day}, {day.year}" if day else "date not given"


def _join(items):
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _measure(measure):
    return f"{measure.name} ({measure.citation})" if measure.citation else measure.name


def law_part(part):
    subject = f"{part.whose} state law" if part.level == "state" else f"{part.whose}'s own policies"
    undated = ""
    if part.undated:
        undated = (
            f" Start date not recorded (see the research notes), so not counted for {_date(part.day)}: "
            f"{_join(_measure(m) for m in part.undated)}."
        )
    if part.verdict == LawVerdict.NOT_RESEARCHED:
        return f"{subject}: not researched."
    if part.verdict == LawVerdict.START_NOT_RECORDED:
        return f"{subject}: nothing in force that day is recorded.{undated}"
    if part.verdict == LawVerdict.NONE_FOUND:
        return f"{subject}: none found that bore on this.{undated}"
    if part.verdict == LawVerdict.NO_EFFECT:
        names = _join(_measure(m) for m in part.measures if m.effect == "none")
        return f"{subject}: {names} bore on this without limiting or requiring it.{undated}"
    verbs = {
        LawVerdict.RESTRICTS: "restricted compliance",
        LawVerdict.REQUIRES: "required compliance",
        LawVerdict.FORBIDS_RESTRICTIONS: "forbade local limits on cooperation",
    }
    chosen = [m for m in part.measures if m.effect == part.verdict]
    return f"{subject} {verbs[part.verdict]}: {_join(_measure(m) for m in chosen)}.{undated}"


def law(answer):
    return " ".join(part.sentence for part in answer.parts)


def _coverage(coverage):
    decision = coverage.decision
    until = f" until {_date(coverage.end)}" if coverage.end else ""
    return f"{coverage.covered_as} by {decision.case_name} ({decision.court}), from {_date(coverage.start)}{until}"


def courts(answer):
    year = f"FY{answer.fiscal_year}"
    if answer.fiscal_year_inferred:
        year += " (year inferred from the letter's date)"
    if answer.own_award:
        subject = f"The same condition on its own {answer.program} {year} award"
    elif answer.program == "PSP":
        subject = "The Public Safety Partnership's question"  # it has no fiscal years
    else:
        subject = f"{answer.program} {year}"
    on = _date(answer.day)
    if answer.verdict == CourtVerdict.RESCINDED:
        action = answer.precedent[0]
        text = f"{subject}: DOJ had dropped this condition by {on} ({action.case_name}, {_date(action.in_force_from)})."
    elif answer.verdict == CourtVerdict.NEVER_RULED:
        text = f"{subject}: no court had ruled on this condition by {on}."
    elif answer.verdict == CourtVerdict.COVERED:
        text = f"{subject}: covered on {on} " + "; and ".join(_coverage(c) for c in answer.covering) + "."
    elif answer.verdict == CourtVerdict.PRECEDENT_ONLY:
        case = answer.precedent[0]
        text = (
            f"{subject}: no order covered it on {on}; only circuit precedent favoured it "
            f"({case.case_name}, {case.court}, {_date(case.decided_on)})."
        )
    elif answer.verdict == CourtVerdict.PRECEDENT_AGAINST:
        case = answer.precedent[0]
        text = (
            f"{subject}: not covered on {on}, and circuit precedent favours DOJ "
            f"({case.case_name}, {case.court}, {_date(case.decided_on)})."
        )
    else:
        text = f"{subject}: no court order covered it on {on}."
    others = [c for c in answer.periods if c not in answer.covering]
    if others:
        text += " At other times it was covered " + "; ".join(_coverage(c) for c in others) + "."
    return text


def responses(answer):
    if not answer.responses:
        if answer.status == LetterStatus.OPEN:
            return "No response to this letter has been found yet."
        return "No response to this letter was found."
    parts = [
        f"{response.responder}, {_date(response.responded_on)}: {response.get_stance_display().lower()}"
        for response in answer.responses
    ]
    return "; ".join(parts) + "."
