"""Two transactions rewriting the same stored rows at once (issue 15): a jurisdiction's
facts are deleted and inserted again under a unique constraint, so without
`compliance.stored.one_writer` the second transaction's insert collided with the first's
once it committed."""

import threading
import unittest

from django.db import connection, transaction
from django.test import TransactionTestCase

from letters.models import Letter
from tests import factories as f
from tests.integrity.test_stored import StoredMatchesRule


@unittest.skipUnless(connection.vendor == "postgresql", "SQLite lets one transaction write at a time")
class ConcurrentWritesTests(StoredMatchesRule, TransactionTestCase):
    def test_two_letters_to_one_recipient_saved_at_once(self):
        jag = f.make_program("Byrne JAG")
        access, proof = f.make_condition("jail_access"), f.make_condition("section_1373_compliance")
        city = f.make_jurisdiction("City of Berkeley")
        first = f.make_letter(city, jag, [access])
        second = f.make_letter(city, jag, [proof])
        first_saved, first_may_commit = threading.Event(), threading.Event()
        errors = []

        def in_thread(work):
            def run():
                try:
                    work()
                except Exception as error:  # reported by the test below
                    errors.append(error)
                finally:
                    connection.close()  # this thread's own connection

            return threading.Thread(target=run)

        def edit_first():
            with transaction.atomic():
                Letter.objects.get(pk=first.pk).save()  # rewrites the city's facts
                first_saved.set()
                first_may_commit.wait(10)

        def edit_second():
            first_saved.wait(10)
            with transaction.atomic():
                letter = Letter.objects.get(pk=second.pk)
                letter.conditions.remove(proof)  # the city is no longer asked for proof
                letter.save()

        threads = [in_thread(edit_first), in_thread(edit_second)]
        for thread in threads:
            thread.start()
        first_saved.wait(10)
        threads[1].join(1)  # the second is now waiting for the first, or has failed
        first_may_commit.set()
        for thread in threads:
            thread.join(20)
        self.assertEqual(errors, [])
        self.assertStoredTrue()
