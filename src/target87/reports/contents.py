"""The outcome report's contents, assembled once as plain data (dicts, lists, strings and numbers).

:func:`report_contents` is the one function every format renders from: the HTML page and the PDF, the DOCX,
the JSON (which is this structure as it is) and the CSV of the recommendations. Call it inside
``translation.override(language)``: labels are given in the active language; what people wrote (contributions,
recommendations, comments) stays in the language it was written in.

For one channel, the report keeps the recommendations routed to that channel; for a country channel it also
gives that country's contributions under each key question, and its good practices.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from target87.core import countries
from target87.deliberation.enums import ContributionKind, FeedbackKind, FeedbackStatus, Level, Timeframe
from target87.deliberation.models import Contribution, Feedback, Recommendation
from target87.people.enums import group_label
from target87.synthesis.selectors import standing

from . import annexes
from .enums import ChannelKind, ConsensusLevel, EditionKind
from .models import Channel, KeyMessage, Route
from .support import ballot_readings, reading_for, support_of

#: the recommendations shown in a chart of priorities by stakeholder group
CHART_ITEMS = 15


def _channel_dict(channel: Channel | None) -> dict | None:
    if channel is None:
        return None
    return {
        "slug": channel.slug,
        "name": channel.name,
        "kind": channel.kind,
        "kind_label": str(ChannelKind(channel.kind).label),
        "country": channel.country,
        "country_name": countries.name(channel.country) if channel.country else "",
        "description": channel.description,
    }


def _recommendations(consultation, channel: Channel | None) -> list[Recommendation]:
    rows = standing(Recommendation.objects.filter(consultation=consultation))  # a merge stands for its members
    if channel is not None:
        rows = rows.filter(report_routes__channel=channel)
    return list(
        rows.select_related("session", "key_question")
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.only("id", "kind", "stakeholder_group", "session_id", "text").order_by(
                    "id"
                ),
            ),
            Prefetch(
                "feedback",
                queryset=Feedback.objects.select_related("author__person__organisation").order_by("created_at", "id"),
            ),
        )
        .order_by("number")
    )


def _dissent(recommendation: Recommendation) -> list[dict]:
    """Comments, and amendments that were not taken up: the views the text as adopted does not carry."""
    rows = []
    for feedback in recommendation.feedback.all():
        if feedback.kind == FeedbackKind.AMENDMENT and feedback.status == FeedbackStatus.ACCEPTED:
            continue
        organisation = feedback.author.person.organisation if feedback.author_id else None
        rows.append(
            {
                "kind": feedback.kind,
                "kind_label": str(FeedbackKind(feedback.kind).label),
                "status_label": str(FeedbackStatus(feedback.status).label),
                "text": feedback.text,
                "proposed_text": feedback.proposed_text,
                "group": group_label(organisation.stakeholder_group) if organisation else "",
            }
        )
    return rows


def channels_label(routed: list[tuple[str, str, str]]) -> str:
    """The channels a recommendation goes to, in a line: the country channels as one list of countries."""
    names = [name for name, kind, _country in routed if kind != ChannelKind.COUNTRY]
    countries_routed = sorted(countries.name(country) for _name, kind, country in routed if kind == ChannelKind.COUNTRY)
    if countries_routed:
        names.append(_("Country-level initiatives: %(countries)s") % {"countries": ", ".join(countries_routed)})
    return "; ".join(names)


def _recommendation_dict(rec: Recommendation, readings, routes: dict[int, list[tuple[str, str, str]]]) -> dict:
    sources = list(rec.contributions.all())
    routed = routes.get(rec.pk, [])
    return {
        "id": rec.pk,
        "code": rec.code,
        "number": rec.number,
        "title": rec.title,
        "text": rec.text,
        "level": rec.level,
        "level_label": str(Level(rec.level).label),
        "timeframe_label": str(Timeframe(rec.timeframe).label),
        "actors": rec.actor_labels(),
        "drafted_in": rec.session.tr("title") if rec.session_id else "",
        "channels": [name for name, _kind, _country in routed],
        "channels_label": channels_label(routed),
        "sources": len(sources),
        "source_groups": sorted({group_label(c.stakeholder_group) for c in sources if c.stakeholder_group}),
        "support": support_of(reading_for(readings, rec.pk), rec.pk),
        "dissent": _dissent(rec),
        "_good_practices": [c.pk for c in sources if c.kind == ContributionKind.GOOD_PRACTICE],
    }


def _priority_key(order: dict[int, int]):
    def key(row: dict):
        support = row["support"]
        if support["rank"] is None:
            return (1, 0, 0, row["number"])
        return (0, order[support["ballot"]], support["rank"], row["number"])

    return key


def _contribution_dict(contribution: Contribution) -> dict:
    return {
        "id": contribution.pk,
        "kind_label": str(ContributionKind(contribution.kind).label),
        "text": contribution.text,
        "group": group_label(contribution.stakeholder_group) if contribution.stakeholder_group else "",
        "countries": [countries.name(c) for c in contribution.countries],
        "breakout": contribution.session.tr("title") if contribution.session_id else "",
    }


def key_messages(consultation) -> dict[int, list[str]]:
    """The rapporteur's key messages per key question (id), in their order, in the active language where a
    translation is given and as written otherwise. A key question with none has none: nothing is made up."""
    written: dict[int, list[str]] = defaultdict(list)
    for message in KeyMessage.objects.filter(consultation=consultation).order_by("position", "id"):
        written[message.key_question_id].append(message.tr("text"))
    return written


def _contributions(consultation, channel: Channel | None) -> dict[int, list[Contribution]]:
    by_question: dict[int, list[Contribution]] = defaultdict(list)
    rows = Contribution.objects.filter(consultation=consultation).select_related("session").order_by("created_at", "id")
    for contribution in rows:
        if (
            channel is not None
            and channel.kind == ChannelKind.COUNTRY
            and channel.country not in contribution.countries
        ):
            continue
        by_question[contribution.key_question_id].append(contribution)
    return by_question


def _question_block(
    question, recs: list[dict], contributions: list[Contribution], channel, messages: list[str]
) -> dict:
    country = channel is not None and channel.kind == ChannelKind.COUNTRY
    cited = {pk for r in recs for pk in r.pop("_good_practices")}
    if channel is None or country:
        practices = [c for c in contributions if c.kind == ContributionKind.GOOD_PRACTICE]
    else:
        practices = [c for c in contributions if c.pk in cited]
    block = {
        "position": question.position,
        "short_title": question.tr("short_title"),
        "text": question.tr("text"),
        "recommendations": recs,
        "good_practices": [_contribution_dict(c) for c in practices],
        "country_contributions": [_contribution_dict(c) for c in contributions] if country else [],
        "contributions": len(contributions),
        "key_messages": messages,
    }
    return block


def _charts(readings, shown: dict[int, dict]) -> list[dict]:
    """Per ballot: the recommendations of the report it ranked (the first few in its order) by stakeholder group."""
    charts = []
    for reading in readings:
        by_code = {code: rec_id for rec_id, code in reading.codes.items() if rec_id in shown}
        rows = []
        for entry in reading.primary:
            rec_id = by_code.get(entry["item"])
            if rec_id is None or shown[rec_id]["support"]["ballot"] != reading.ballot.pk:
                continue
            support = shown[rec_id]["support"]
            cells = {g["group"]: g.get("rank", g.get("agreement")) for g in support["groups"]}
            rows.append(
                {
                    "code": shown[rec_id]["code"],
                    "title": shown[rec_id]["title"],
                    "overall": support["rank"],
                    "cells": cells,
                }
            )
            if len(rows) == CHART_ITEMS:
                break
        if rows:
            described = reading.describe()
            charts.append(
                {
                    "ballot": described["title"],
                    "method": described["method_label"],
                    "measure": "agreement" if reading.ballot.method == "consensus" else "rank",
                    "groups": [{"group": g["group"], "label": g["label"]} for g in described["groups"]],
                    "rows": rows,
                }
            )
    return charts


def _summary(consultation, blocks, participation, recommendations: list[dict], channel) -> dict:
    levels = defaultdict(int)
    for row in recommendations:
        levels[row["support"]["consensus"]] += 1
    dates = f"{formats.date_format(consultation.start_date)} – {formats.date_format(consultation.end_date)}"
    place = ", ".join(p for p in [consultation.venue, consultation.city, countries.name(consultation.country)] if p)
    paragraphs = [
        _(
            "%(convener)s convened %(title)s on %(dates)s in %(place)s. %(participants)s participants from "
            "%(groups)s stakeholder groups and %(countries)s countries took part."
        )
        % {
            "convener": consultation.convened_by,
            "title": consultation.tr("title"),
            "dates": dates,
            "place": place,
            "participants": participation["total"],
            "groups": len([g for g in participation["by_group"] if g["code"]]),
            "countries": len([c for c in participation["by_country"] if c["code"]]),
        }
    ]
    if recommendations:
        paragraphs.append(
            _(
                "This report gives %(count)s recommendations under %(questions)s key questions, in order of "
                "priority; %(strong)s of them have strong consensus across stakeholder groups."
            )
            % {"count": len(recommendations), "questions": len(blocks), "strong": levels[ConsensusLevel.STRONG.value]}
        )
    else:
        paragraphs.append(_("No recommendations have been drafted yet: this report will list them once they are."))
    if channel is not None:
        paragraphs.append(
            _("This edition is for %(channel)s: it gives the recommendations routed to it.") % {"channel": channel.name}
        )
    return {"paragraphs": paragraphs, "dates": dates, "place": place, "levels": dict(levels)}


def report_contents(*, consultation, channel: Channel | None = None) -> dict:
    """Everything the outcome report says, for the whole consultation or for one channel, as plain data."""
    readings = ballot_readings(consultation=consultation)
    order = {reading.ballot.pk: i for i, reading in enumerate(readings)}
    routes: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for rec_id, name, kind, country in Route.objects.filter(channel__consultation=consultation).values_list(
        "recommendation_id", "channel__name", "channel__kind", "channel__country"
    ):
        routes[rec_id].append((name, kind, country))
    recs = _recommendations(consultation, channel)
    rows = {rec.pk: _recommendation_dict(rec, readings, routes) for rec in recs}
    per_question: dict[int, list[dict]] = defaultdict(list)
    for rec in recs:
        per_question[rec.key_question_id].append(rows[rec.pk])
    contributions = _contributions(consultation, channel)
    messages = key_messages(consultation)
    blocks = []
    for question in consultation.key_questions.order_by("position"):
        recs_here = sorted(per_question.get(question.pk, []), key=_priority_key(order))
        blocks.append(
            _question_block(
                question, recs_here, contributions.get(question.pk, []), channel, messages.get(question.pk, [])
            )
        )
    ordered = [r for block in blocks for r in block["recommendations"]]
    participation = annexes.participation(consultation)
    return {
        "consultation": {
            "slug": consultation.slug,
            "title": consultation.tr("title"),
            "convened_by": consultation.convened_by,
            "subregion": consultation.subregion,
        },
        "language": translation.get_language() or "en",
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "edition": EditionKind.OUTCOME.value,
        "followup": None,
        "channel": _channel_dict(channel),
        "empty": not ordered,
        "summary": _summary(consultation, blocks, participation, ordered, channel),
        "key_questions": blocks,
        "charts": _charts(readings, rows),
        "annexes": {
            "programme": annexes.programme(consultation),
            "participation": participation,
            "methods": annexes.methods(consultation, readings),
        },
    }
