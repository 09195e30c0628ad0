"""The list pages' facet counts, as issue 15 made them cheaper (stored answers read
alone, demands counted without DISTINCT, years summed from months), against a
straightforward per-row computation: the rule's answer for each demand
(`Demand.objects.with_control()`), each letter's status and date, read in Python."""

import datetime
from collections import defaultdict
from io import StringIO

from django.core.management import call_command
from django.http import QueryDict
from django.test import TestCase

from compliance.answer import matrices_for
from compliance.filters import MatrixFilter
from compliance.models import StoredAnswer
from compliance.stored import store_jurisdiction_facts
from jurisdictions.control import ControlStatus
from jurisdictions.filters import JurisdictionFilter
from jurisdictions.models import Booking, Jurisdiction
from letters.filters import LetterFilter
from letters.models import Demand, Letter
from tests import factories as f

FILTERS = [
    "",
    "state=CA",
    "program=byrne-jag",
    "control=controls",
    "control=does_not_control&control=unknown",
    "condition=jail_access",
    "condition=jail_access&condition=section_1373_compliance",
    "status=responded",
    "year=2017",
    "month=2018-03",
    "year=2017&month=2018-03",
    "recipient_kind=county",
]


def letters_by(pairs):
    """{value: number of distinct letters} from (value, letter) pairs."""
    letters = defaultdict(set)
    for value, letter in pairs:
        if value is not None:
            letters[str(value)].add(letter)
    return {value: len(ids) for value, ids in letters.items()}


class FacetCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        jag = f.make_program("Byrne JAG")
        psp = f.make_program("PSP")
        access = f.make_condition("jail_access")
        notice = f.make_condition("release_notice_48h")
        proof = f.make_condition("section_1373_compliance")
        county = f.make_jurisdiction("Runs County", kind=Jurisdiction.Kind.COUNTY)
        jail = f.make_facility(county)
        f.book(county, jail)
        city = f.make_jurisdiction("Sends City")  # its arrestees go to the county's jail
        f.book(city, jail)
        sharing = f.make_jurisdiction("Shares City", state="NV")
        f.book(sharing, f.make_facility(sharing, facility_type="city_lockup"), stage=Booking.Stage.PRE_ARRAIGNMENT)
        f.book(sharing, jail)
        unknown = f.make_jurisdiction("Unrecorded Town", state="NV")
        f.make_letter(county, jag, [access, proof])
        f.make_letter(city, jag, [access, notice], sent_on=datetime.date(2018, 3, 1), deadline=None)
        f.make_letter(city, psp, [proof], sent_on=datetime.date(2018, 3, 9), deadline=None)
        f.make_letter(sharing, jag, [notice, proof], sent_on=datetime.date(2017, 11, 2), deadline=None)
        f.make_letter(unknown, psp, [access])
        f.make_response(f.make_letter(county, psp, [notice]))
        f.make_letter(unknown, jag, [])  # asks for nothing
        # An undated letter whose stored answer has expired, and says what the rule no
        # longer does: it is answered by the rule, as `with_control` answers it.
        cls.undated = f.make_letter(city, jag, [access, proof], sent_on=None, deadline=None)
        StoredAnswer.objects.filter(letter=cls.undated).update(
            valid_until=datetime.date(2000, 1, 1), control=ControlStatus.UNKNOWN
        )
        store_jurisdiction_facts()  # as they were stored with that answer

    def expected_letter_counts(self, letters):
        demands = Demand.objects.with_control().filter(letter__in=letters.values("pk"))
        rows = list(letters.order_by().with_status().values_list("pk", "status", "sent_on"))
        return {
            "control": letters_by(demands.values_list("control", "letter")),
            "condition": letters_by(demands.values_list("condition__code", "letter")),
            "status": letters_by((status, pk) for pk, status, _ in rows),
            "year": letters_by((sent_on and f"{sent_on:%Y}", pk) for pk, _, sent_on in rows),
            "month": letters_by((sent_on and f"{sent_on:%Y-%m}", pk) for pk, _, sent_on in rows),
        }

    def expected_verdict_counts(self, filterset, name):
        """Letters whose chosen rows have each law or courts verdict, by the rule."""
        pairs = []
        for matrix in matrices_for(Letter.objects.filter(pk__in=filterset.queryset_without(name).values("pk"))):
            for row in filterset.rows(matrix):
                pairs.append((row.law.verdict if name == "law" else row.court_verdict, matrix.letter.pk))
        return letters_by(pairs)

    def assert_letter_counts(self, filter_class, verdicts=()):
        for params in FILTERS:
            filterset = filter_class(QueryDict(params), queryset=Letter.objects.for_list())
            self.assertTrue(filterset.is_valid())
            for name in ("control", "condition", "status", "year", "month", *verdicts):
                with self.subTest(filter=filter_class.__name__, params=params, facet=name):
                    if name in verdicts:
                        expected = self.expected_verdict_counts(filterset, name)
                    else:
                        expected = self.expected_letter_counts(filterset.queryset_without(name))[name]
                    counts = {value: n for value, n in filterset.facet_counts(name).items() if n}
                    self.assertEqual(counts, expected)

    def test_letter_facets_count_each_letter_as_the_rule_answers_it(self):
        self.assert_letter_counts(LetterFilter)

    def test_matrix_facets_count_the_same(self):
        self.assert_letter_counts(MatrixFilter, verdicts=("law", "courts"))

    def test_once_nothing_is_stale_the_same(self):
        call_command("recompute_control", "--stale", stdout=StringIO())
        self.assertFalse(StoredAnswer.objects.stale().exists())
        self.assert_letter_counts(LetterFilter)
        self.assert_letter_counts(MatrixFilter, verdicts=("law", "courts"))

    def test_an_expired_stored_answer_is_not_counted(self):
        filterset = LetterFilter(QueryDict(""), queryset=Letter.objects.all())
        self.assertTrue(filterset.is_valid())
        counts = filterset.facet_counts("control")
        # Sends City does not control its jails: its undated letter is counted so, not as
        # the stale row says; only Unrecorded Town's letter is unknown.
        self.assertEqual(counts[ControlStatus.UNKNOWN], 1)
        self.assertEqual(counts[ControlStatus.DOES_NOT_CONTROL], 2)

    def test_years_are_summed_from_months_only_when_neither_is_chosen(self):
        for params, queries in (("", 1), ("state=CA", 1), ("month=2018-03", 2), ("year=2018", 2)):
            # Counted, not read from what is stored with nothing chosen.
            filterset = LetterFilter(QueryDict(params), queryset=Letter.objects.all(), read_stored_counts=False)
            self.assertTrue(filterset.is_valid())
            with self.subTest(params=params), self.assertNumQueries(queries):
                filterset.facet_counts("year")
                filterset.facet_counts("month")

    def assert_jurisdiction_counts(self):
        params_tried = ("", "state=NV", "control=controls", "condition=jail_access", "kind=city", "program=psp")
        for params in params_tried:
            filterset = JurisdictionFilter(QueryDict(params), queryset=Jurisdiction.objects.all())
            self.assertTrue(filterset.is_valid())
            for name in ("control", "condition", "program"):
                with self.subTest(params=params, facet=name):
                    jurisdictions = filterset.queryset_without(name)
                    demands = Demand.objects.with_control().filter(letter__recipient__in=jurisdictions)
                    letters = Letter.objects.filter(recipient__in=jurisdictions)
                    expected = letters_by(
                        {
                            "control": demands.values_list("control", "letter__recipient"),
                            "condition": demands.values_list("condition__code", "letter__recipient"),
                            "program": letters.values_list("program__slug", "recipient"),
                        }[name]
                    )
                    counts = {value: n for value, n in filterset.facet_counts(name).items() if n}
                    self.assertEqual(counts, expected)

    def test_jurisdiction_facets_count_each_recipient_as_the_rule_answers_it(self):
        self.assertTrue(StoredAnswer.objects.stale().exists())  # counted from the answers
        self.assert_jurisdiction_counts()

    def test_jurisdiction_facets_from_the_stored_facts_once_nothing_is_stale(self):
        call_command("recompute_control", "--stale", stdout=StringIO())
        self.assertFalse(StoredAnswer.objects.stale().exists())
        self.assert_jurisdiction_counts()


class MatrixConditionCountTests(TestCase):
    """With law or courts chosen, a condition's count is what choosing that condition
    instead shows: the filters read the chosen conditions' verdicts, so each
    condition's count must read its own (not the chosen ones')."""

    @classmethod
    def setUpTestData(cls):
        jag = f.make_program("Byrne JAG")
        access = f.make_condition("jail_access")
        notice = f.make_condition("release_notice_48h")
        proof = f.make_condition("section_1373_compliance")
        state = f.make_jurisdiction("State of California", kind=Jurisdiction.Kind.STATE)
        county = f.make_jurisdiction("San Joaquin County", kind=Jurisdiction.Kind.COUNTY, parent=state)
        city = f.make_jurisdiction("City of Stockton", parent=county)
        f.book(city, f.make_facility(county))
        f.make_measure(state, [notice], name="TRUTH Act", effective_on=datetime.date(2017, 1, 1))
        f.make_decision([jag], [proof], decided_on=datetime.date(2017, 9, 15))
        f.make_letter(city, jag, [notice, access])
        f.make_letter(city, jag, [notice, proof], sent_on=datetime.date(2018, 1, 5), deadline=None)
        f.make_letter(county, jag, [access, proof])
        f.make_letter(county, jag, [notice])
        # An undated letter whose stored answer has expired: answered by the rule.
        undated = f.make_letter(city, jag, [notice, proof], sent_on=None, deadline=None)
        StoredAnswer.objects.filter(letter=undated).update(valid_until=datetime.date(2000, 1, 1))

    def shown(self, params):
        filterset = MatrixFilter(QueryDict(params), queryset=Letter.objects.all())
        self.assertTrue(filterset.is_valid(), filterset.errors)
        return filterset

    def test_each_condition_counts_the_letters_choosing_it_shows(self):
        cases = [
            "law=restricts&condition=jail_access",
            "law=restricts&condition=release_notice_48h",
            "law=not_researched&condition=release_notice_48h",
            "courts=covered&condition=release_notice_48h",
            "courts=never_ruled&condition=section_1373_compliance",
            "law=not_researched&courts=covered",
            "law=restricts&jail_conditions=true",
            "law=not_researched&jail_conditions=true&condition=jail_access",
        ]
        nonzero = 0
        for params in cases:
            counts = self.shown(params).facet_counts("condition")
            others = "&".join(part for part in params.split("&") if not part.startswith("condition="))
            for code in ("jail_access", "release_notice_48h", "section_1373_compliance"):
                with self.subTest(params=params, condition=code):
                    switched = self.shown(f"{others}&condition={code}").qs.count()
                    self.assertEqual(counts.get(code, 0), switched)
                    nonzero += bool(switched)
        self.assertGreater(nonzero, 5)  # the cases are not all empty
