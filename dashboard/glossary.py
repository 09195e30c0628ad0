"""The glossary (/about/glossary/): the words of DOJ's letters and of this site's answers,
in plain words, each with an anchor that pages link to.

Codes (control statuses, booking stages, verdicts, letter statuses, sourcing) take their
labels from the models' own choices, so a renamed label shows here too; only the
explanation beside each label is written here. A term that states a fact about the law
or about a DOJ program cites the public page it comes from."""

from dataclasses import dataclass, field

from compliance.verdicts import CourtVerdict, LawVerdict
from jurisdictions.control import ControlStatus
from jurisdictions.models import BookingStage
from letters.models import LetterStatus
from sources.models import Sourcing


@dataclass(frozen=True)
class Cited:
    title: str
    url: str


@dataclass(frozen=True)
class Code:
    value: str
    label: str
    explanation: str


@dataclass(frozen=True)
class Term:
    anchor: str
    term: str
    definition: str
    sources: tuple[Cited, ...] = ()
    condition: str = ""  # the Condition code this term explains, to link its page
    codes: tuple[Code, ...] = field(default=())


def codes(choices, explanations):
    """Each choice's stored value and model label, with its explanation (every choice
    must have one: tests/dashboard/test_glossary.py checks)."""
    return tuple(Code(choice.value, choice.label, explanations[choice]) for choice in choices)


JAG_ANNOUNCEMENT = Cited(
    "Washington Examiner, “Jeff Sessions announces new crackdown on sanctuary cities” (July 25, 2017)",
    "https://www.washingtonexaminer.com/news/1708035/jeff-sessions-announces-new-crackdown-on-sanctuary-cities",
)

TERMS = (
    Term(
        "psp",
        "PSP (National Public Safety Partnership)",
        "A Department of Justice program, run through the Bureau of Justice Assistance, that gives cities with high "
        "violent crime three years of free training and technical help. It is not a grant: the cities get no money "
        "directly. On August 3, 2017 DOJ wrote to several cities applying to join it, asking whether they would meet "
        "its immigration conditions.",
        (
            Cited(
                "Bureau of Justice Assistance, “National Public Safety Partnership Applications Open”",
                "https://bjatta.bja.ojp.gov/media/news/national-public-safety-partnership-applications-open",
            ),
        ),
    ),
    Term(
        "byrne-jag",
        "Byrne JAG (Edward Byrne Memorial Justice Assistance Grant)",
        "The main federal grant for state and local criminal justice (police, prosecution, courts, corrections and "
        "more), paid by formula to states and local governments and run by the Bureau of Justice Assistance. DOJ "
        "attached the immigration conditions on this site to it from fiscal year 2017.",
        (
            Cited(
                "Bureau of Justice Assistance, “Edward Byrne Memorial Justice Assistance Grant (JAG) Program”",
                "https://www.bja.gov/Jag/",
            ),
            JAG_ANNOUNCEMENT,
        ),
    ),
    Term(
        "jail-access",
        "Jail access",
        "Letting federal immigration officers (DHS/ICE) into a jail or detention facility to meet people held "
        "there and ask about their immigration status. One of the conditions DOJ announced for Byrne JAG awards "
        "on July 25, 2017. Only whoever runs the jail can grant it.",
        (JAG_ANNOUNCEMENT,),
        condition="jail_access",
    ),
    Term(
        "release-notice",
        "48 hours' notice of release",
        "Telling DHS/ICE at least 48 hours before releasing a person they have asked about, so that officers can "
        "come and take custody. Announced as a Byrne JAG condition on July 25, 2017. Only the jail that holds "
        "the person knows, and decides, when they are released.",
        (JAG_ANNOUNCEMENT,),
        condition="release_notice_48h",
    ),
    Term(
        "detainer",
        "Detainer (48-hour detainer)",
        "A request from ICE (form I-247) to a jail holding someone: tell ICE before releasing them, and keep them "
        "up to 48 hours (not counting weekends and holidays) after they would otherwise go free, so ICE can take "
        "custody. The regulation, 8 C.F.R. 287.7, describes a detainer as a request.",
        (
            Cited(
                "8 C.F.R. 287.7, “Detainer provisions under section 287(d)(3) of the Act” (text)",
                "https://www.usborderpatrol.com/usbp/laws/border_patrol608_11",
            ),
            Cited(
                "Norton Tooby, Criminal Defense of Immigrants, § 6.15 “48 Hours After Criminal Release”",
                "https://nortontooby.com/node/15804",
            ),
        ),
        condition="detainer_48h",
    ),
    Term(
        "section-1373",
        "8 U.S.C. 1373",
        "A federal law of 1996 saying that no state or local government may forbid or restrict its officials from "
        "sending to, or receiving from, federal immigration authorities information about a person's citizenship "
        "or immigration status. It requires no one to share anything, to hold anyone or to give notice of "
        "releases. DOJ required Byrne JAG recipients to certify they complied with it.",
        (
            Cited(
                "8 U.S.C. § 1373, “Communication between government agencies and the Immigration and "
                "Naturalization Service” (text)",
                "https://instalawyer.io/laws/us-code/1373",
            ),
            Cited(
                "Public Law 104-208, sec. 642 (110 Stat. 3009-707), the section as enacted",
                "https://en.m.wikisource.org/wiki/Page:United_States_Statutes_at_Large_Volume_110_Part_4.djvu/870",
            ),
        ),
        condition="section_1373_compliance",
    ),
    Term(
        "documents",
        "Documents production",
        "DOJ asked some grant recipients to hand over their orders and guidance on talking to immigration "
        "authorities, relying on the federal grant rule that gives the awarding agency access to a recipient's "
        "records about the award (2 C.F.R. 200.336 in 2017, renumbered 200.337 in 2024).",
        (Cited("2 C.F.R. 200.337, “Access to records” (text)", "https://checkoutapi.com/regulations/2/200.337."),),
        condition="documents_production",
    ),
    Term(
        "runs-the-jail",
        "Runs the jail",
        "On this site, the government whose officers operate the facility where a jurisdiction's arrestees are "
        "held: often the county sheriff, sometimes a city with its own lockup, in a few states the state. It is "
        "read from the bookings (which facility holds whose arrestees, at which stage and over which dates), "
        "never guessed. Jail access, notice of release and detainers depend on it; 1373 and documents depend on "
        "the recipient's own policies.",
    ),
    Term(
        "booking-stage",
        "Booking stage",
        "Which part of custody a booking covers. A city's arrestees may sit in the city's lockup until they first "
        "see a judge and then move to the county jail, so each booking names its stage.",
        codes=codes(
            BookingStage,
            {
                BookingStage.ALL: "The facility holds them from arrest to release.",
                BookingStage.PRE_ARRAIGNMENT: "Held there only until their first court appearance (arraignment).",
                BookingStage.AFTER_ARRAIGNMENT: "Held there from arraignment on, usually a county jail.",
            },
        ),
    ),
    Term(
        "control",
        "Control of a condition",
        "Whether the letter's recipient could meet a condition by itself, on the day asked (the letter's date, or "
        "today). For the jail conditions it depends on who runs the jail; for 1373 and documents it is always the "
        "recipient.",
        codes=codes(
            ControlStatus,
            {
                ControlStatus.CONTROLS: "It runs every facility that holds its arrestees (for 1373 and documents: "
                "always).",
                ControlStatus.SHARES: "It runs some of them, e.g. a city lockup until arraignment, then a county jail.",
                ControlStatus.DOES_NOT_CONTROL: "It runs none of them; the page names who does.",
                ControlStatus.UNKNOWN: "The data has no facility for it. Unknown is never shown as “does not control”.",
            },
        ),
    ),
    Term(
        "law-verdict",
        "Law (what state law and local policy said)",
        "The state laws and the recipient's own policies in force that day that bear on a condition, summed up as "
        "one answer.",
        codes=codes(
            LawVerdict,
            {
                LawVerdict.RESTRICTS: "A law or policy limits cooperation with this condition.",
                LawVerdict.REQUIRES: "A law or policy requires cooperation.",
                LawVerdict.FORBIDS_RESTRICTIONS: "State law forbids local governments to limit cooperation.",
                LawVerdict.START_NOT_RECORDED: "A rule bears on it, but its start is known only as a month or "
                "year, so it is named, not counted as in force.",
                LawVerdict.NO_EFFECT: "A policy mentions it without limiting it.",
                LawVerdict.NOT_RESEARCHED: "Nobody has looked yet. This is not “none”.",
                LawVerdict.NONE_FOUND: "Researched, and nothing bore on it.",
            },
        ),
    ),
    Term(
        "court-verdict",
        "Courts (was the recipient protected by a ruling)",
        "Whether a court order covered the recipient that day for the letter's program and fiscal years.",
        codes=codes(
            CourtVerdict,
            {
                CourtVerdict.RESCINDED: "DOJ had withdrawn the condition by then.",
                CourtVerdict.COVERED: "A court order protected it (as a plaintiff, nationwide, as a member of a "
                "suing organisation, or named in the order).",
                CourtVerdict.PRECEDENT_ONLY: "No order covered it, but its federal circuit's appeals court had "
                "ruled against the condition.",
                CourtVerdict.PRECEDENT_AGAINST: "No order covered it, and its circuit's appeals court had upheld "
                "the condition.",
                CourtVerdict.NOT_COVERED: "Courts had ruled on the condition, but no order covered it and its "
                "circuit had not decided.",
                CourtVerdict.NEVER_RULED: "No court had ruled on the condition for that program.",
            },
        ),
    ),
    Term(
        "letter-status",
        "Letter status",
        "Where a letter stands, from its own responses only, never from later events.",
        codes=codes(
            LetterStatus,
            {
                LetterStatus.OPEN: "No response is recorded and its deadline has not passed (or is not known).",
                LetterStatus.DEADLINE_PASSED: "No response was found by the deadline (one may exist unfound).",
                LetterStatus.RESPONDED: "The recipient answered.",
                LetterStatus.CLEARED: "DOJ said the recipient met its questions.",
            },
        ),
    ),
    Term(
        "partly-sourced",
        "Partly sourced",
        "How well a fact is backed by the sources it cites. Every fact links its sources; a weaker mark says "
        "where the rest comes from.",
        codes=codes(
            Sourcing,
            {
                Sourcing.SOURCED: "The cited source states it.",
                Sourcing.PARTLY: "It rests partly on general knowledge or on a secondary source named in the notes.",
                Sourcing.UNVERIFIED: "General knowledge (e.g. a parent government, a federal circuit), not yet "
                "checked against a source.",
            },
        ),
    ),
)

BY_ANCHOR = {term.anchor: term for term in TERMS}
BY_CONDITION = {term.condition: term for term in TERMS if term.condition}
