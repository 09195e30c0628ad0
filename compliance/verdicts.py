"""The verdicts of each part of the answer, defined once."""

from django.db.models import TextChoices


class LawVerdict(TextChoices):
    """In order of precedence for the headline of several parts."""

    RESTRICTS = "restricts", "Restricts compliance"
    REQUIRES = "requires", "Requires compliance"
    FORBIDS_RESTRICTIONS = "forbids_restrictions", "Forbids local limits"
    START_NOT_RECORDED = "start_not_recorded", "A rule bears on it; its start date is not recorded"
    NO_EFFECT = "no_effect", "A policy bears on it without limiting it"
    NOT_RESEARCHED = "not_researched", "Not researched"
    NONE_FOUND = "none_found", "None found"


class CourtVerdict(TextChoices):
    """In order of precedence for the headline of several fiscal years."""

    RESCINDED = "rescinded", "DOJ had dropped the condition"
    COVERED = "covered", "Covered by a court order"
    PRECEDENT_ONLY = "precedent_only", "Circuit precedent only"
    PRECEDENT_AGAINST = "precedent_against", "Circuit precedent against it"
    NOT_COVERED = "not_covered", "Not covered"
    NEVER_RULED = "never_ruled", "No court had ruled on it"
