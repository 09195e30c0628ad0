from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from alerts.models import Delivery, Subscription
from letters.models import Event
from tests import factories as f

ORIGIN = "http://127.0.0.1:8000"


def send_alerts():
    out = StringIO()
    call_command("send_alerts", stdout=out)
    return out.getvalue()


class SendAlertsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = f.make_jurisdiction("City of Sample")
        cls.other = f.make_jurisdiction("Elsewhere")
        cls.program = f.make_program()
        cls.condition = f.make_condition("jail_access")

    def setUp(self):
        self.follower = self.follow(self.city, "reader@example.org")

    def follow(self, followed, email):
        subscription = Subscription.objects.create(email=email, followed=followed, followed_label=str(followed))
        subscription.confirm()
        return subscription

    def test_digest_lists_new_letters_responses_and_rulings_once(self):
        letter = f.make_letter(self.city, self.program, [self.condition])
        f.make_response(letter, responder="Mayor of Sample")
        ruling = f.make_event([self.city], kind=Event.Kind.COURT_RULING, title="Injunction for Sample")
        f.make_letter(self.other, self.program)  # not followed

        self.assertIn("1 digest(s) sent", send_alerts())

        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["reader@example.org"])
        self.assertEqual(message.subject, "City of Sample, CA: 3 changes on Sanctuary Tracker")
        self.assertIn(f"New letter: Byrne JAG letter to City of Sample\n  {ORIGIN}{letter.get_absolute_url()}",
                      message.body)  # fmt: skip
        self.assertIn("New response from Mayor of Sample", message.body)
        self.assertIn(f"Court ruling: Injunction for Sample\n  {ORIGIN}{ruling.get_absolute_url()}", message.body)
        self.assertNotIn("Elsewhere", message.body)
        self.assertIn("Unsubscribe (deletes your address): http://127.0.0.1:8000/alerts/unsubscribe/", message.body)
        self.assertTrue(message.extra_headers["List-Unsubscribe"].startswith(f"<{ORIGIN}/alerts/unsubscribe/"))
        self.assertEqual(message.extra_headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        delivery = Delivery.objects.get(kind=Delivery.Kind.DIGEST)
        self.assertEqual((delivery.subscription, delivery.changes), (self.follower, 3))

        self.assertIn("0 digest(s) sent", send_alerts())
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(Delivery.objects.filter(kind=Delivery.Kind.DIGEST).count(), 1)

        f.make_event([self.city], title="Council vote")
        send_alerts()
        self.assertEqual(len(mail.outbox), 2)
        self.assertIn("Council vote", mail.outbox[1].body)
        self.assertNotIn("Injunction for Sample", mail.outbox[1].body)

    def test_corrected_facts_are_reported(self):
        self.city.notes = "Corrected after a reader's suggestion."
        self.city.save()
        county = f.make_jurisdiction("Sample County", kind="county")
        f.book(self.city, f.make_facility(county))
        send_alerts()
        body = mail.outbox[0].body
        self.assertIn("City of Sample's record was corrected", body)
        self.assertIn("Where its arrestees are held: a booking was added", body)

    def test_condition_followers_hear_of_letters_demanding_it(self):
        condition_follower = self.follow(self.condition, "second@example.org")
        f.make_letter(self.other, self.program, [self.condition])
        f.make_letter(self.other, self.program, [])
        send_alerts()
        [message] = [m for m in mail.outbox if m.to == ["second@example.org"]]
        self.assertIn("New letter demanding it: Byrne JAG letter to Elsewhere", message.body)
        self.assertEqual(message.subject, "jail access: 1 change on Sanctuary Tracker")
        self.assertEqual(Delivery.objects.get(subscription=condition_follower).changes, 1)

    def test_nothing_changed_nothing_sent_and_unconfirmed_followers_get_nothing(self):
        Subscription.objects.create(email="pending@example.org", followed=self.other, followed_label="Elsewhere")
        self.assertIn("0 digest(s) sent", send_alerts())
        f.make_letter(self.other, self.program)
        send_alerts()
        self.assertEqual(mail.outbox, [])

    def test_changes_before_confirmation_are_not_sent(self):
        f.make_letter(self.other, self.program)
        self.follow(self.other, "late@example.org")
        send_alerts()
        self.assertEqual(mail.outbox, [])
