from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Sources, events and agreements")

    def ready(self):
        from django.db.models.signals import m2m_changed

        from articles.models import Event

        # An event's agreements are edited on two pages: the event's own ("agreements") and
        # each agreement's ("related events", RelatedEventsFormSet). A change from the
        # agreement's side bumps the event's version, so a stale event form cannot quietly
        # undo it (Event.bump_versions).
        m2m_changed.connect(
            Event.links_changed, sender=Event.agreements.through, dispatch_uid="event-links"
        )

        from articles import evidence

        # An event's, agreement's or tie's status date follows its evidence (a citation
        # saved or deleted, a cited source's date or status changed).
        evidence.connect()
