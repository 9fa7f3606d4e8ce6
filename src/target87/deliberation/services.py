"""Every change to contributions, recommendations, comments and amendments goes through here.

Facilitators, rapporteurs and conveners act as signed-in users (``actor``) and are checked with
:func:`~target87.core.permissions.require`; participants act through their access link (``participation``: a
:class:`~target87.people.participants.Participant` or their participation), checked with
:func:`~target87.people.participants.participant_require`. Bad input raises :class:`~target87.core.errors.ServiceError` with a
message per field, and nothing is stored.

Key questions, breakout groups and source contributions come as objects (a form or the API has turned what was
sent into them); the services check that they belong to the consultation.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from target87.consultations.enums import SessionKind, ThematicArea
from target87.consultations.models import Consultation, KeyQuestion, Session
from target87.core import audit
from target87.core import countries as country_codes
from target87.core.errors import ServiceError
from target87.core.models import AuditEntry
from target87.core.permissions import require
from target87.people.enums import StakeholderGroup
from target87.people.models import Participation
from target87.people.participants import Participant, participant_require

from .enums import Actor, ContributionKind, FeedbackKind, FeedbackStatus, Level, Timeframe
from .groups import session_refused
from .models import Contribution, Feedback, Recommendation, RecommendationVersion

MAX_TEXT = 4000

#: how a key question or a breakout group that is not the consultation's is refused (the API refuses in the same
#: words a session id that names none of the consultation's sessions)
NOT_A_KEY_QUESTION = gettext_lazy("Choose one of the consultation's key questions.")
NOT_A_BREAKOUT = gettext_lazy("Choose one of the consultation's breakout groups.")


def _text(value: str, field: str, errors: dict, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = [_("This cannot be empty.")]
    elif len(value) > limit:
        errors[field] = [
            _("Keep this under %(limit)d characters (it has %(count)d).") % {"limit": limit, "count": len(value)}
        ]
    return value


def _key_question(consultation: Consultation, key_question: KeyQuestion | None, errors: dict) -> KeyQuestion | None:
    if key_question is None or key_question.consultation_id != consultation.pk:
        errors["key_question"] = [str(NOT_A_KEY_QUESTION)]
        return None
    return key_question


def _breakout(consultation: Consultation, session: Session | None, errors: dict) -> Session | None:
    if session is None:
        return None
    if session.consultation_id != consultation.pk or session.kind != SessionKind.BREAKOUT:
        errors["session"] = [str(NOT_A_BREAKOUT)]
        return None
    return session


def _countries(values, errors) -> list[str]:
    codes, unknown = [], []
    for value in values or []:
        code = country_codes.lookup(value)
        (codes if code else unknown).append(code or value)
    if unknown:
        errors["countries"] = [
            _("Unknown countries: %(values)s. Use ISO 3166 codes such as KHM, LAO.") % {"values": ", ".join(unknown)}
        ]
    return sorted(set(codes))


# --- contributions -----------------------------------------------------------------------------------


def contribution_create(
    *,
    consultation: Consultation,
    key_question: KeyQuestion | None,
    kind: str,
    text: str,
    actor=None,
    participation: Participation | Participant | None = None,
    author: Participation | None = None,
    session: Session | None = None,
    thematic_area: str = "",
    countries=(),
    stakeholder_group: str = "",
    anonymous: bool = True,
    client_key: str | uuid.UUID | None = None,
) -> Contribution:
    """Capture a contribution: by a participant on their phone (``participation``), or by a facilitator or
    rapporteur (``actor``) on behalf of someone (``author``, optional) of a stakeholder group.

    Contributions may come from survivors of trafficking or child labour: a contribution is published without its
    author's name unless ``anonymous=False`` says the author chose to be named.

    A contribution sent again with the same ``client_key`` (a phone resending after the connection returned)
    is stored once; the one already stored is returned.
    """
    if participation is not None:
        author = participant_require(participation, "contribute", consultation).participation
        stakeholder_group = author.person.stakeholder_group
    else:
        require(actor, "deliberation.capture", consultation)
    errors: dict[str, list[str]] = {}
    key = None
    if client_key not in (None, ""):
        try:
            key = client_key if isinstance(client_key, uuid.UUID) else uuid.UUID(str(client_key))
        except ValueError:
            errors["client_key"] = [_("The form was altered; reload the page and try again.")]
    if key is not None and not errors:
        sent = Contribution.objects.filter(consultation=consultation, client_key=key).first()
        if sent is not None:
            return sent
    question = _key_question(consultation, key_question, errors)
    group_session = _breakout(consultation, session, errors)
    if (
        participation is not None
        and group_session is not None
        and session_refused(participation=author, session=group_session)
    ):
        errors["session"] = [
            _(
                "You are not in this breakout group: choose your own group (your agenda shows it), or send the "
                "contribution without a breakout group."
            )
        ]
    text = _text(text, "text", errors)
    if kind not in ContributionKind.values:
        errors["kind"] = [_("Choose a kind: good practice, challenge, proposal or evidence.")]
    if thematic_area and thematic_area not in ThematicArea.values:
        errors["thematic_area"] = [_("Choose a thematic area from the list.")]
    codes = _countries(countries, errors)
    if stakeholder_group and stakeholder_group not in StakeholderGroup.values:
        errors["stakeholder_group"] = [_("Choose a stakeholder group from the list.")]
    if author is not None and author.consultation_id != consultation.pk:
        errors["author"] = [_("This person does not take part in the consultation.")]
    if errors:
        raise ServiceError(errors)
    if author is not None and not stakeholder_group:
        stakeholder_group = author.person.stakeholder_group
    try:
        with transaction.atomic():
            contribution = Contribution.objects.create(
                consultation=consultation,
                session=group_session,
                key_question=question,
                kind=kind,
                text=text,
                thematic_area=thematic_area or "",
                countries=codes,
                stakeholder_group=stakeholder_group or "",
                author=author,
                anonymous=bool(anonymous),
                captured_by=actor if participation is None else None,
                reviewed_at=timezone.now() if participation is None else None,  # a facilitator's capture is read
                client_key=key,
            )
            audit.record(
                actor=actor if participation is None else participation,
                action="contribution.create",
                obj=contribution,
                consultation=consultation,
            )
    except IntegrityError:
        sent = Contribution.objects.filter(consultation=consultation, client_key=key).first() if key else None
        if sent is None:
            raise
        return sent
    return contribution


@transaction.atomic
def contribution_delete(*, actor, contribution: Contribution) -> None:
    require(actor, "deliberation.capture", contribution.consultation)
    audit.record(
        actor=actor,
        action="contribution.delete",
        obj=contribution,
        consultation=contribution.consultation,
        changes={"text": contribution.text},
    )
    contribution.delete()


@transaction.atomic
def contribution_review(*, actor, contribution: Contribution) -> Contribution:
    """Mark a contribution read: where the consultation holds contributions for review, it is now public."""
    require(actor, "deliberation.capture", contribution.consultation)
    if contribution.reviewed_at is None:
        contribution.reviewed_at = timezone.now()
        contribution.save(update_fields=["reviewed_at"])
        audit.record(
            actor=actor, action="contribution.review", obj=contribution, consultation=contribution.consultation
        )
    return contribution


# --- recommendations ----------------------------------------------------------------------------------

RECOMMENDATION_FIELDS = ("key_question", "session", "title", "text", "thematic_area", "actors", "level", "timeframe")


def _clean_recommendation(consultation, data: dict, errors: dict) -> dict:
    cleaned = {}
    if "key_question" in data:
        cleaned["key_question"] = _key_question(consultation, data["key_question"], errors)
    if "session" in data:
        cleaned["session"] = _breakout(consultation, data["session"], errors)
    if "title" in data:
        cleaned["title"] = _text(data["title"], "title", errors, limit=200)
    if "text" in data:
        cleaned["text"] = _text(data["text"], "text", errors)
    if "thematic_area" in data:
        if data["thematic_area"] and data["thematic_area"] not in ThematicArea.values:
            errors["thematic_area"] = [_("Choose a thematic area from the list.")]
        cleaned["thematic_area"] = data["thematic_area"] or ""
    if "actors" in data:
        actors = list(dict.fromkeys(data["actors"] or []))
        if not actors:
            errors["actors"] = [_("Name at least one actor the recommendation addresses.")]
        elif any(a not in Actor.values for a in actors):
            errors["actors"] = [_("Choose the actors from the list.")]
        cleaned["actors"] = [a for a in Actor.values if a in actors]
    if "level" in data:
        if data["level"] not in Level.values:
            errors["level"] = [_("Choose regional or national.")]
        cleaned["level"] = data["level"]
    if "timeframe" in data:
        if data["timeframe"] not in Timeframe.values:
            errors["timeframe"] = [_("Choose a timeframe from the list.")]
        cleaned["timeframe"] = data["timeframe"]
    return cleaned


def _contributions(
    consultation: Consultation, contributions: Iterable[Contribution], errors: dict
) -> list[Contribution]:
    sources = list({c.pk: c for c in contributions}.values())
    if any(c.consultation_id != consultation.pk for c in sources):
        errors["contributions"] = [_("Choose contributions made in this consultation.")]
    return sources


def _next_number(consultation) -> int:
    """The number after every one given so far, including those of recommendations since deleted (an undone
    merge): a number in an earlier report edition or an audit entry never comes to mean another recommendation."""
    numbers = [Recommendation.objects.filter(consultation=consultation).aggregate(n=Max("number"))["n"] or 0]
    deleted = AuditEntry.objects.filter(consultation=consultation, action="recommendation.delete")
    numbers += [n for n in deleted.values_list("changes__number", flat=True) if isinstance(n, int)]
    return max(numbers) + 1


def _snapshot(recommendation: Recommendation, *, actor=None, note: str = "", amendment=None) -> RecommendationVersion:
    return RecommendationVersion.objects.create(
        recommendation=recommendation,
        number=recommendation.version,
        title=recommendation.title,
        text=recommendation.text,
        note=note[:300],
        edited_by=actor if getattr(actor, "is_authenticated", False) else None,
        amendment=amendment,
        details={
            "key_question": recommendation.key_question.position,
            "thematic_area": recommendation.thematic_area,
            "actors": recommendation.actors,
            "level": recommendation.level,
            "timeframe": recommendation.timeframe,
            "session": recommendation.session_id,
            "contributions": sorted(recommendation.contributions.values_list("pk", flat=True)),
        },
    )


@transaction.atomic
def recommendation_create(
    *,
    actor,
    consultation: Consultation,
    key_question: KeyQuestion | None,
    title: str,
    text: str,
    actors: Iterable[str],
    level: str,
    timeframe: str,
    session: Session | None = None,
    thematic_area: str = "",
    contributions: Iterable[Contribution] = (),
) -> Recommendation:
    """Draft a recommendation (numbered after the consultation's last one), from the contributions it comes from."""
    require(actor, "deliberation.edit_recommendation", consultation)
    errors: dict[str, list[str]] = {}
    data = {
        "key_question": key_question,
        "session": session,
        "title": title,
        "text": text,
        "thematic_area": thematic_area,
        "actors": actors,
        "level": level,
        "timeframe": timeframe,
    }
    cleaned = _clean_recommendation(consultation, data, errors)
    sources = _contributions(consultation, contributions, errors)
    if errors:
        raise ServiceError(errors)
    # numbers are given in order: lock the consultation so that two drafts never take the same number
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
    number = _next_number(consultation)
    recommendation = Recommendation.objects.create(
        consultation=consultation, number=number, created_by=actor, **cleaned
    )
    recommendation.contributions.set(sources)
    _snapshot(recommendation, actor=actor, note=_("First draft"))
    audit.record(actor=actor, action="recommendation.create", obj=recommendation, consultation=consultation)
    return recommendation


@transaction.atomic
def recommendation_update(
    *,
    actor,
    recommendation: Recommendation,
    note: str = "",
    contributions: Iterable[Contribution] | None = None,
    **fields,
) -> Recommendation:
    """Change a recommendation; the new state is kept as a new version (nothing when nothing changed).

    ``fields`` are those of :func:`recommendation_create` that change (``key_question`` a
    :class:`~target87.consultations.models.KeyQuestion`, ``session`` a breakout
    :class:`~target87.consultations.models.Session` or None); ``contributions``, when given, replace the sources.
    """
    consultation = recommendation.consultation
    require(actor, "deliberation.edit_recommendation", consultation)
    errors: dict[str, list[str]] = {}
    cleaned = _clean_recommendation(
        consultation, {k: v for k, v in fields.items() if k in RECOMMENDATION_FIELDS}, errors
    )
    sources = _contributions(consultation, contributions, errors) if contributions is not None else None
    if errors:
        raise ServiceError(errors)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    changes = audit.model_changes(recommendation, cleaned)
    if sources is not None:
        before = set(recommendation.contributions.values_list("pk", flat=True))
        if before != {c.pk for c in sources}:
            changes["contributions"] = [sorted(before), sorted(c.pk for c in sources)]
            recommendation.contributions.set(sources)
    if not changes:
        return recommendation
    for name, value in cleaned.items():
        setattr(recommendation, name, value)
    recommendation.version += 1
    recommendation.save()
    _snapshot(recommendation, actor=actor, note=note)
    audit.record(
        actor=actor, action="recommendation.update", obj=recommendation, consultation=consultation, changes=changes
    )
    return recommendation


# --- comments and amendments ---------------------------------------------------------------------------


@transaction.atomic
def feedback_create(
    *,
    participation: Participation | Participant,
    recommendation: Recommendation,
    kind: str,
    text: str,
    proposed_text: str = "",
) -> Feedback:
    """A participant comments on a recommendation, or proposes a new text for it (an amendment)."""
    participation = participant_require(participation, "contribute", recommendation.consultation).participation
    errors: dict[str, list[str]] = {}
    if kind not in FeedbackKind.values:
        errors["kind"] = [_("Choose a comment or an amendment.")]
    text = _text(text, "text", errors)
    proposed_text = _text(proposed_text, "proposed_text", errors, required=kind == FeedbackKind.AMENDMENT)
    if kind == FeedbackKind.AMENDMENT and proposed_text and proposed_text == recommendation.text.strip():
        errors["proposed_text"] = [_("The proposed text is the same as the current one: change it.")]
    if errors:
        raise ServiceError(errors)
    feedback = Feedback.objects.create(
        recommendation=recommendation,
        author=participation,
        kind=kind,
        text=text,
        proposed_text=proposed_text if kind == FeedbackKind.AMENDMENT else "",
    )
    audit.record(
        actor=participation, action=f"recommendation.{kind}", obj=feedback, consultation=recommendation.consultation
    )
    return feedback


@transaction.atomic
def amendment_decide(*, actor, feedback: Feedback, accept: bool) -> Feedback:
    """A facilitator accepts an amendment (the recommendation takes its text, as a new version) or declines it."""
    recommendation = feedback.recommendation
    require(actor, "deliberation.decide_amendment", recommendation.consultation)
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.kind != FeedbackKind.AMENDMENT:
        raise ServiceError(_("Only amendments are accepted or declined; a comment stays as it is."))
    if feedback.status != FeedbackStatus.OPEN:
        raise ServiceError(
            _("This amendment has already been %(status)s.") % {"status": feedback.get_status_display().lower()}
        )
    feedback.status = FeedbackStatus.ACCEPTED if accept else FeedbackStatus.DECLINED
    feedback.decided_by = actor
    feedback.decided_at = timezone.now()
    feedback.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        recommendation.text = feedback.proposed_text
        recommendation.version += 1
        recommendation.save()
        author = feedback.author.person.name if feedback.author_id else _("a participant")
        _snapshot(
            recommendation,
            actor=actor,
            amendment=feedback,
            note=_("Amendment proposed by %(author)s accepted") % {"author": author},
        )
    audit.record(
        actor=actor, action=f"amendment.{feedback.status}", obj=feedback, consultation=recommendation.consultation
    )
    return feedback
