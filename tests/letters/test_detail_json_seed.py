"""The detail JSON built from the page's own object is the record the exports build from
a queryset (issue 15: the letter JSON no longer reads its letter twice), on every seed
letter, for the letter's date and for today."""

import json
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from letters.models import Letter


def streamed(response):
    return json.loads(b"".join(response.streaming_content))["results"]


class SeedLetterJsonTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())

    def test_letter_json_carries_the_matrix_exports_record_of_it(self):
        letters = list(Letter.objects.order_by("pk"))
        self.assertGreater(len(letters), 50)
        for params in ({}, {"as_of": "today"}):
            # The matrix list export answers through matrix_records, from a queryset.
            matrix = self.client.get(reverse("compliance:matrix"), {**params, "format": "json"})
            exported = {record["letter_id"]: record for record in streamed(matrix)}
            self.assertEqual(set(exported), {letter.pk for letter in letters})
            for letter in letters:
                with self.subTest(letter=letter.pk, **params):
                    response = self.client.get(letter.get_absolute_url(), {**params, "format": "json"})
                    self.assertEqual(response.json()["matrix"], exported[letter.pk])
