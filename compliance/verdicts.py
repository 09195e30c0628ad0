"""The verdicts of each part of the answer, defined once."""

from django.db.models import TextChoices


class LawVerdict(TextChoices):
    RESTRICTS = "restricts", "Restricts compliance"
    REQUIRES = "requires", "Requires compliance"
    FORBIDS_RESTRICTIONS = "forbids_restrictions", "Forbids local limits"
    NONE_FOUND = "none_found", "None found"
    NOT_RESEARCHED = "not_researched", "Not researched"


class CourtVerdict(TextChoices):
    COVERED = "covered", "Covered by a court order"
    PRECEDENT_ONLY = "precedent_only", "Circuit precedent only"
    PRECEDENT_AGAINST = "precedent_against", "Circuit precedent against it"
    NOT_COVERED = "not_covered", "Not covered"
    NEVER_RULED = "never_ruled", "No court ruled on it"
