"""Nothing referenced is deleted silently.

Foreign keys use PROTECT, but Django always cascades the hidden rows of a many-to-many
link: deleting a Source would quietly unlink it from every letter citing it. These
helpers treat such links as protecting references too, in the admin and in code.
"""

from django.db.models import ProtectedError

REFERENCE_LIMIT = 20


def m2m_references(obj):
    """Objects that point at `obj` through a many-to-many field (up to a limit per field)."""
    found = []
    for relation in obj._meta.related_objects:
        if relation.many_to_many:
            found.extend(getattr(obj, relation.get_accessor_name()).all()[:REFERENCE_LIMIT])
    return found


def refuse_delete_if_referenced(sender, instance, **kwargs):
    references = m2m_references(instance)
    if references:
        raise ProtectedError(
            f"Cannot delete {instance}: {len(references)} record(s) still refer to it.", set(references)
        )


class ProtectReferencedAdminMixin:
    """Shows many-to-many references as protected objects on the delete page, so the
    admin refuses the delete with Django's usual message instead of erroring."""

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for obj in objs:
            protected.extend(f"{ref._meta.verbose_name.capitalize()}: {ref}" for ref in m2m_references(obj))
        return deleted, model_count, perms_needed, protected
