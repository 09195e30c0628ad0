"""Bump the data version whenever public data changes, however it changes: admin, import,
shell. Bulk writes that skip signals (load_seed, the bench generator) bump it themselves."""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import DataVersion

PUBLIC_APPS = ("jurisdictions", "programs", "letters", "sources", "laws", "courts", "sanctuary_lists")


def _bump(sender, **kwargs):
    if sender is DataVersion or sender.__name__.startswith("Historical"):
        return
    transaction.on_commit(DataVersion.bump)


def connect():
    for model in apps.get_models():
        # Stored derivations are rewritten with the change that caused them, which bumps.
        if getattr(model, "is_derived_cache", False):
            continue
        if model._meta.app_label in PUBLIC_APPS:
            post_save.connect(_bump, sender=model, dispatch_uid=f"data-version-save-{model._meta.label}")
            post_delete.connect(_bump, sender=model, dispatch_uid=f"data-version-delete-{model._meta.label}")
    m2m_changed.connect(_bump, dispatch_uid="data-version-m2m")
