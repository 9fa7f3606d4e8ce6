"""The Atom feed of a consultation's action updates (django.contrib.syndication)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from target87.consultations import selectors as consultation_selectors

from . import selectors


def describe(update) -> str:
    """An update in one readable paragraph: what changed, the note, the evidence."""
    parts = []
    for name, (before, after) in update.changes.items():
        parts.append(f"{name}: {before if before not in (None, '') else '—'} → {after if after is not None else '—'}")
    text = "; ".join(parts)
    if update.note:
        text = f"{text}. {update.note}" if text else update.note
    evidence = [e.label or e.href for e in update.evidence.all()]
    if evidence:
        text += " " + _("Evidence: %(list)s") % {"list": ", ".join(evidence)}
    return text


class UpdatesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return consultation_selectors.consultation_get(slug=slug, user=request.user)

    def title(self, consultation):
        return _("Follow-through of %(title)s") % {"title": consultation.title}

    def link(self, consultation):
        from django.urls import reverse

        return reverse("commitments:accountability", kwargs={"slug": consultation.slug})

    def subtitle(self, consultation):
        return _("Updates of the actions taken on the recommendations.")

    def items(self, consultation):
        return selectors.update_list(consultation=consultation)[:50]

    def item_title(self, update):
        return _("%(action)s: %(status)s, %(progress)s %%") % {
            "action": update.action.title,
            "status": update.get_status_display(),
            "progress": update.progress,
        }

    def item_description(self, update):
        return describe(update)

    def item_link(self, update):
        return f"{update.action.get_absolute_url()}#update-{update.pk}"

    def item_guid(self, update):
        return f"urn:target87:update:{update.action.uuid}:{update.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, update):
        return update.at

    def item_updateddate(self, update):
        return update.at

    def item_author_name(self, update):
        return update.by_label or None
