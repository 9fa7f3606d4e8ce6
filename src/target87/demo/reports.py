"""The Bangkok demonstration's outcome report: the channels (the Global SDG Alliance launch, the 4th Global
Conference on Child Labour and the sub-region's countries), the routing of the recommendations, and one
published edition.

Routing, as a rapporteur would do it: regional recommendations go to the Global SDG Alliance launch, those on
child labour (or that have no thematic area) to the Global Conference on Child Labour, national ones to every
country's initiatives. Idempotent: channels are found by their short names, routes are only added, and an
edition is built only when the consultation has none.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from target87.deliberation.models import Recommendation
from target87.reports import services
from target87.reports.enums import ChannelKind
from target87.reports.models import Channel, Edition, Route


def _routes(consultation) -> set[tuple[int, int]]:
    channels = list(Channel.objects.filter(consultation=consultation))
    pairs = set(Route.objects.filter(channel__consultation=consultation).values_list("recommendation_id", "channel_id"))
    for rec in Recommendation.objects.filter(consultation=consultation):
        wanted = {
            ChannelKind.GLOBAL: rec.level == "regional",
            ChannelKind.CONFERENCE: rec.thematic_area in ("child_labour", ""),
            ChannelKind.COUNTRY: rec.level == "national",
        }
        pairs.update((rec.pk, channel.pk) for channel in channels if wanted.get(channel.kind))
    return pairs


def load(*, consultation, stdout=None) -> None:
    say = stdout.write if stdout else lambda *_: None
    convener = get_user_model().objects.filter(username="convener").first()
    made = services.channels_add_usual(actor=convener, consultation=consultation)
    changed = services.routes_replace(actor=convener, consultation=consultation, pairs=_routes(consultation))
    say(f"Report channels: {len(made)} added; routes: {changed['added']} added.\n")
    if not Edition.objects.filter(consultation=consultation).exists():
        edition = services.edition_build(actor=convener, consultation=consultation, language="en")
        services.edition_publish(actor=convener, edition=edition)
        say(
            f"Outcome report: edition {edition.number} built and published ({edition.recommendations} recommendations).\n"
        )
