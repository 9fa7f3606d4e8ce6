"""The states of synthesis: where a suggested merge stands, whether a merge holds."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SuggestionStatus(models.TextChoices):
    # with a context: the words agree with "suggestion" in languages with grammatical gender
    PENDING = "pending", pgettext_lazy("suggestion status", "Waiting for review")
    ACCEPTED = "accepted", pgettext_lazy("suggestion status", "Accepted")
    REJECTED = "rejected", pgettext_lazy("suggestion status", "Rejected")
    SPLIT = "split", pgettext_lazy("suggestion status", "Split")
    #: waiting when a newer request replaced it, and kept because a merge made from it (since undone) is history
    SUPERSEDED = "superseded", pgettext_lazy("suggestion status", "Replaced by a newer request")


class MergeStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("merge status", "In force")
    UNDONE = "undone", pgettext_lazy("merge status", "Undone")


class Method(models.TextChoices):
    """What the rapporteur asks the text engine for (its method names)."""

    AUTO = "auto", _("The best installed (sentence embeddings if installed, else TF-IDF)")
    TFIDF = "tfidf", _("Shared words (TF-IDF)")
    EMBEDDINGS = "embeddings", _("Sentence embeddings")
