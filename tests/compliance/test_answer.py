"""Can this jurisdiction meet DOJ's conditions? Table-driven on real seed rows: each
part of the answer (jail, law, courts, its answer) for letters the research data
documents, with the date edges of bookings, laws and court orders."""

import datetime
import json
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape

from compliance.answer import court_answer, court_decisions, matrices_for
from compliance.verdicts import CourtVerdict, LawVerdict
from courts.models import CourtDecision
from jurisdictions.control import Basis, ControlStatus, control_of
from jurisdictions.models import Jurisdiction
from letters.models import Letter, LetterStatus
from tests.factories import make_program

D = datetime.date


def letter(recipient, batch):
    return Letter.objects.get(recipient__name=recipient, batch__code=batch)


def answer(recipient, batch, on=None):
    return matrices_for(Letter.objects.filter(pk=letter(recipient, batch).pk), on)[0]


def row(matrix, code):
    return next(r for r in matrix.rows if r.condition.code == code)


PSP = "B2017-08-03_PSP"
DOCUMENTS = "B2018-01-24_documents23"
PRELIM_29 = "B2017-11-15_1373_prelim29"


class SeedAnswerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())

    def test_stockton_august_2017_the_readme_worked_example(self):
        matrix = answer("City of Stockton", PSP)
        self.assertEqual(matrix.day, D(2017, 8, 3))
        notice = row(matrix, "release_notice_48h")
        # Runs the jail: San Joaquin County does.
        self.assertEqual(notice.jail.status, ControlStatus.DOES_NOT_CONTROL)
        self.assertEqual([o.name for o in notice.jail.operators], ["San Joaquin County"])
        # Law: California law in force that day restricted it; Stockton's own not researched.
        self.assertEqual(notice.law.state.verdict, LawVerdict.RESTRICTS)
        self.assertIn("TRUTH Act (AB 2792)", notice.law.sentence)
        self.assertNotIn("SB 54", notice.law.sentence)  # in force only from 2018-01-01
        self.assertEqual(notice.law.local.verdict, LawVerdict.NOT_RESEARCHED)
        self.assertIn("City of Stockton's own policies: not researched.", notice.law.sentence)
        # Courts: nobody ruled on the PSP questions ...
        psp, own_award = notice.courts
        self.assertEqual(psp.verdict, CourtVerdict.NEVER_RULED)
        self.assertEqual(notice.court_verdict, CourtVerdict.NEVER_RULED)
        # ... while the same condition on its own Byrne JAG FY2017 award was enjoined
        # nationwide from 2017-09-15 until 2018-06-26, and covered it as a named
        # California subdivision from 2018-10-05.
        self.assertTrue(own_award.own_award)
        self.assertEqual((own_award.program, own_award.fiscal_year), ("Byrne JAG", 2017))
        self.assertEqual(own_award.verdict, CourtVerdict.NEVER_RULED)  # no ruling yet on August 3, 2017
        periods = [(c.covered_as, c.start, c.end) for c in own_award.periods]
        self.assertEqual(periods[0], ("nationwide", D(2017, 9, 15), D(2018, 6, 26)))
        self.assertIn(("as a jurisdiction the order names (not itself a plaintiff)", D(2018, 10, 5), None), periods)
        # Its answer: the police chief disputed the questions the same day.
        self.assertEqual(matrix.answer.status, LetterStatus.RESPONDED)
        self.assertIn("Police Chief Eric Jones, August 3, 2017: disputed the demand", matrix.answer.sentence)

    def test_court_order_date_edges_for_stockton(self):
        # (day, verdict of its own Byrne JAG FY2017 award for release notice)
        cases = [
            (D(2017, 9, 14), CourtVerdict.NEVER_RULED),  # the day before the Chicago injunction
            (D(2017, 9, 15), CourtVerdict.COVERED),  # its first day
            (D(2018, 6, 25), CourtVerdict.COVERED),
            (D(2018, 6, 26), CourtVerdict.NOT_COVERED),  # the Seventh Circuit's stay: no longer
            (D(2018, 10, 5), CourtVerdict.COVERED),  # the California injunction names Stockton
        ]
        for day, verdict in cases:
            with self.subTest(day=day):
                own_award = row(answer("City of Stockton", PSP, on=day), "release_notice_48h").courts[1]
                self.assertEqual(own_award.verdict, verdict)

    def test_law_date_edges_for_california(self):
        # SB 54 took effect 2018-01-01 and the TRUST Act stopped governing that day.
        before = row(answer("City of Stockton", PSP, on=D(2017, 12, 31)), "detainer_48h").law.sentence
        on = row(answer("City of Stockton", PSP, on=D(2018, 1, 1)), "detainer_48h").law.sentence
        self.assertIn("TRUST Act", before)
        self.assertNotIn("SB 54", before)
        self.assertIn("SB 54", on)
        self.assertNotIn("TRUST Act (AB 4)", on)

    def test_a_rule_whose_start_date_is_not_recorded_never_answers_for_an_earlier_letter(self):
        # Louisiana's 2024 act and King County's March 2018 ordinance have no recorded
        # start date (only a year or month, in their notes).
        new_orleans = row(answer("City of New Orleans", "B2017-04-21_1373_proof"), "section_1373_compliance").law
        self.assertNotEqual(new_orleans.state.verdict, LawVerdict.REQUIRES)
        self.assertIn("Start date not recorded", new_orleans.state.sentence)
        king = answer("King County", PRELIM_29)
        for item in king.rows:
            self.assertNotIn("18665", " ".join(m.citation + m.name for m in item.law.measures))

    def test_dc_is_state_level_and_not_researched_is_the_headline_over_none_found(self):
        dc = answer("District of Columbia", PRELIM_29)
        for item in dc.rows:
            self.assertEqual(len(item.law.parts), 1)
        riverside = row(answer("Riverside County", PRELIM_29), "section_1373_compliance").law
        self.assertEqual(riverside.local.verdict, LawVerdict.NOT_RESEARCHED)
        self.assertEqual(riverside.state.verdict, LawVerdict.NONE_FOUND)
        self.assertEqual(riverside.verdict, LawVerdict.NOT_RESEARCHED)

    def test_doj_rescission_answers_for_today(self):
        fy2017 = next(
            c
            for c in row(answer("City of New York", DOCUMENTS, on=D(2022, 1, 3)), "section_1373_compliance").courts
            if c.fiscal_year == 2017
        )
        self.assertEqual(fy2017.verdict, CourtVerdict.RESCINDED)
        self.assertIn("DOJ had dropped this condition", fy2017.sentence)

    def test_baltimore_the_state_of_maryland_runs_the_jail(self):
        jail = row(answer("City of Baltimore", PSP), "jail_access").jail
        self.assertEqual(jail.status, ControlStatus.DOES_NOT_CONTROL)
        self.assertEqual([o.name for o in jail.operators], ["State of Maryland"])
        self.assertTrue(jail.sources)

    def test_jail_runners_and_county_jail_states_are_never_unknown(self):
        cases = [
            ("San Joaquin County", "CA", ControlStatus.CONTROLS),
            ("State of Maryland", "MD", ControlStatus.CONTROLS),
            ("Bernalillo County", "NM", ControlStatus.CONTROLS),
            ("State of California", "CA", ControlStatus.DOES_NOT_CONTROL),
            ("State of Illinois", "IL", ControlStatus.DOES_NOT_CONTROL),
            ("State of Oregon", "OR", ControlStatus.DOES_NOT_CONTROL),
            ("City of Chicago", "IL", ControlStatus.SHARES),
        ]
        for name, state, status in cases:
            with self.subTest(name=name):
                self.assertEqual(control_of(Jurisdiction.objects.get(name=name, state=state)).status, status)
        california = control_of(Jurisdiction.objects.get(name="State of California"))
        self.assertEqual(california.basis, Basis.COUNTY_JAILS)
        self.assertTrue(california.sources)
        # Every government running a county or state jail, every letter recipient
        # state whose counties run the jails: none is unknown, on any letter's date.
        runners = Jurisdiction.objects.filter(operated_facilities__facility_type__in=["county_jail", "state_jail"])
        for jurisdiction in runners.distinct():
            with self.subTest(runner=jurisdiction.name):
                self.assertNotEqual(control_of(jurisdiction).status, ControlStatus.UNKNOWN)

    def test_chicago_is_covered_as_a_plaintiff(self):
        matrix = answer("City of Chicago", DOCUMENTS, on=D(2019, 1, 2))
        fy2017 = next(c for c in row(matrix, "section_1373_compliance").courts if c.fiscal_year == 2017)
        self.assertEqual(fy2017.verdict, CourtVerdict.COVERED)
        self.assertEqual(fy2017.covering[0].covered_as, "as a plaintiff")
        self.assertEqual(fy2017.covering[0].decision.court, "N.D. Ill.")

    def test_new_york_city_1373_before_and_after_the_second_circuit(self):
        # (day, FY2017 verdict)
        cases = [
            (D(2018, 1, 24), CourtVerdict.NOT_COVERED),  # the letter's own date
            (D(2019, 1, 2), CourtVerdict.COVERED),  # S.D.N.Y., as a plaintiff, from 2018-11-30
            (D(2020, 2, 25), CourtVerdict.COVERED),
            (D(2020, 2, 26), CourtVerdict.PRECEDENT_AGAINST),  # reversed: 2nd Cir. precedent favours DOJ
        ]
        for day, verdict in cases:
            with self.subTest(day=day):
                matrix = answer("City of New York", DOCUMENTS, on=day)
                fy2017 = next(c for c in row(matrix, "section_1373_compliance").courts if c.fiscal_year == 2017)
                self.assertEqual(fy2017.verdict, verdict)

    def test_philadelphia_runs_its_jails_and_no_court_ruled_on_fy2016(self):
        matrix = answer("City of Philadelphia", "B2017-10-11_1373_prelim")
        self.assertEqual(control_of(matrix.jurisdiction).status, ControlStatus.CONTROLS)
        s1373 = row(matrix, "section_1373_compliance")
        self.assertEqual([c.fiscal_year for c in s1373.courts], [2016])
        self.assertEqual(s1373.courts[0].verdict, CourtVerdict.NEVER_RULED)
        # Its FY2017 award was covered as a plaintiff from 2017-11-15 (E.D. Pa.): asked
        # today, the Byrne JAG FY2017 question is answered from the same rows.
        on = D(2017, 11, 15)
        cover = court_answer(court_decisions(), matrix.jurisdiction, s1373.condition, "Byrne JAG", 2017, on)
        self.assertEqual(cover.verdict, CourtVerdict.COVERED)
        self.assertEqual(cover.covering[0].covered_as, "as a plaintiff")

    def test_court_decisions_read_their_links_as_the_related_objects_say(self):
        """court_decisions() reads the link tables as id pairs; the same sets as the
        related objects give, a program's name with a comma and a space too."""
        CourtDecision.objects.filter(programs__isnull=False).first().programs.add(make_program("COPS, Hiring"))
        decisions = court_decisions()
        self.assertGreater(len(decisions), 10)
        for decision in decisions:
            with self.subTest(decision=decision.pk):
                self.assertEqual(decision.program_names, {p.short_name for p in decision.programs.all()})
                self.assertEqual(decision.condition_ids, {c.pk for c in decision.conditions.all()})
                self.assertEqual(decision.covered_ids, {j.pk for j in decision.covered_jurisdictions.all()})
        self.assertTrue(any(d.covered_ids for d in decisions) and any(d.condition_ids for d in decisions))
        self.assertTrue(any("COPS, Hiring" in d.program_names and len(d.program_names) > 1 for d in decisions))

    def test_doj_clearance_and_no_response_found(self):
        cleared = Letter.objects.cleared()
        self.assertTrue(cleared.exists())
        for item in cleared:
            with self.subTest(letter=str(item)):
                matrix = matrices_for(Letter.objects.filter(pk=item.pk))[0]
                self.assertEqual(matrix.answer.status, LetterStatus.CLEARED)
                self.assertIn("cleared by doj", matrix.answer.sentence)
        unanswered = Letter.objects.deadline_passed().first()
        matrix = matrices_for(Letter.objects.filter(pk=unanswered.pk))[0]
        self.assertEqual(matrix.answer.responses, [])
        self.assertEqual(matrix.answer.sentence, "No response to this letter was found.")

    def test_no_letter_status_contradicts_its_own_responses(self):
        for item in Letter.objects.with_status().prefetch_related("responses"):
            stances = {r.stance for r in item.responses.all()}
            expected = (
                LetterStatus.CLEARED
                if "cleared_by_doj" in stances
                else LetterStatus.RESPONDED
                if stances
                else {LetterStatus.DEADLINE_PASSED, LetterStatus.OPEN}
            )
            with self.subTest(letter=str(item)):
                if isinstance(expected, set):
                    self.assertIn(item.status, expected)
                else:
                    self.assertEqual(item.status, expected)

    def test_not_researched_is_never_written_as_none(self):
        for matrix in matrices_for(Letter.objects.all()):
            for part in (p for r in matrix.rows for p in r.law.parts):
                if part.verdict == LawVerdict.NOT_RESEARCHED:
                    self.assertIn("not researched", part.sentence)
                    self.assertNotIn("none", part.sentence)

    def test_the_matrix_export_equals_what_the_pages_show_for_every_letter(self):
        """Walks every recipient: each exported sentence is on its page and on the letter's."""
        recipients = Jurisdiction.objects.targeted()
        for recipient in recipients:
            page = self.client.get(recipient.get_absolute_url()).content.decode()
            response = self.client.get(reverse("compliance:matrix"), {"recipient": recipient.slug, "format": "json"})
            records = json.loads(b"".join(response.streaming_content))["results"]
            self.assertEqual(len(records), Letter.objects.filter(recipient=recipient).count())
            for record in records:
                letter_page = self.client.get(record["url"]).content.decode()
                texts = [record["responses_sentence"]]
                for condition in record["conditions"]:
                    texts += [part["sentence"] for part in condition["law"]["parts"]]
                    texts += [court["sentence"] for court in condition["courts"]["answers"]]
                    # The page links each operator, so its names are checked, not the plain sentence.
                    texts += [operator["name"] for operator in condition["jail"]["operators"]]
                    badge = f'class="badge control-{condition["jail"]["status"]}"'
                    self.assertIn(badge, page)
                    self.assertIn(badge, letter_page)
                for text in texts:
                    with self.subTest(recipient=recipient.name, letter=record["letter_id"], text=text[:60]):
                        self.assertIn(escape(text), page)
                        self.assertIn(escape(text), letter_page)


class ConditionStandingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())

    def test_where_each_condition_stands_on_the_seed(self):
        from courts.selectors import court_history, where_it_stands
        from programs.models import Condition

        access = where_it_stands(court_history(Condition.objects.get(code="jail_access")))
        self.assertIn("Held unlawful on appeal in the 1st, 3rd, 7th, 9th Circuits.", access)
        self.assertIn("Upheld on appeal in the 2nd Circuit.", access)
        self.assertIn("The circuits split.", access)
        self.assertEqual(sum(line.startswith("The Supreme Court, March 4, 2021") for line in access), 2)
        self.assertTrue(any(line.startswith("DOJ's last action (April 28, 2021)") for line in access))
        detainer = where_it_stands(court_history(Condition.objects.get(code="detainer_48h")))
        self.assertEqual(detainer[0], "No court has ruled on this condition.")
