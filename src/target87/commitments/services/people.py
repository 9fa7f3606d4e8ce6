"""Focal points and organisation representatives, and the registry of good practices."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require

from ..enums import FocalKind
from ..models import FocalPoint, GoodPractice
from . import checks


@transaction.atomic
def focal_point_add(*, actor, consultation, user, country: str = "", organisation=None) -> FocalPoint:
    """Make ``user`` the focal point of a country, or the representative of an organisation, in the consultation."""
    require(actor, "commitments.manage", consultation)
    if user is None or not isinstance(user, get_user_model()):
        raise ServiceError({"user": [_("Choose the account of the person.")]})
    if bool(country) == bool(organisation):
        raise ServiceError(_("Choose a country or an organisation, not both."))
    if country:
        code, message = checks.country(country, required=True)
        if message:
            raise ServiceError({"country": [message]})
        row, created = FocalPoint.objects.get_or_create(
            consultation=consultation, user=user, kind=FocalKind.COUNTRY, country=code
        )
    else:
        row, created = FocalPoint.objects.get_or_create(
            consultation=consultation, user=user, kind=FocalKind.ORGANISATION, organisation=organisation
        )
    if created:  # naming someone again changes nothing, and records nothing
        audit.record(actor=actor, action="commitments.focal_point_add", obj=row, consultation=consultation)
    return row


@transaction.atomic
def focal_point_remove(*, actor, focal_point: FocalPoint) -> None:
    require(actor, "commitments.manage", focal_point.consultation)
    audit.record(
        actor=actor, action="commitments.focal_point_remove", obj=focal_point, consultation=focal_point.consultation
    )
    focal_point.delete()


@transaction.atomic
def good_practice_save(
    *,
    actor,
    consultation,
    practice: GoodPractice | None = None,
    title: str,
    description: str,
    country: str = "",
    evidence: str = "",
    thematic_area: str = "",
    organisations=(),
    contributions=(),
) -> GoodPractice:
    require(actor, "commitments.manage", consultation)
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the practice a title.")]
    if not (description or "").strip():
        errors["description"] = [_("Describe the practice.")]
    code, message = checks.country(country)
    if message:
        errors["country"] = [message]
    if thematic_area:
        _areas, message = checks.thematic_areas([thematic_area])
        if message:
            errors["thematic_area"] = [message]
    others = [c for c in contributions if c.consultation_id != consultation.pk]
    if others:
        errors["contributions"] = [_("Some contributions belong to another consultation.")]
    if errors:
        raise ServiceError(errors)
    fields = dict(
        title=title.strip(),
        description=description.strip(),
        country=code,
        evidence=evidence,
        thematic_area=thematic_area,
    )
    if practice is None:
        practice = GoodPractice.objects.create(consultation=consultation, created_by=actor, **fields)
        changes = fields
    else:
        changes = audit.model_changes(practice, fields)
        for name, value in fields.items():
            setattr(practice, name, value)
        practice.save()
    practice.organisations.set(list(organisations))
    practice.contributions.set(list(contributions))
    audit.record(
        actor=actor, action="commitments.good_practice_save", obj=practice, consultation=consultation, changes=changes
    )
    return practice
