"""Reading people and participations. E-mails and needs are private: only conveners read them."""

from __future__ import annotations

from django.db.models import QuerySet

from .enums import RegistrationStatus
from .models import Participation, Person


def roles_of_user(*, user, consultation) -> set[str]:
    return set(
        Participation.objects.filter(
            consultation=consultation, person__user=user, status=RegistrationStatus.APPROVED
        ).values_list("role", flat=True)
    )


def participation_list(*, consultation, status: str = "", role: str = "", query: str = "") -> QuerySet[Participation]:
    rows = Participation.objects.filter(consultation=consultation).select_related("person__organisation")
    if status:
        rows = rows.filter(status=status)
    if role:
        rows = rows.filter(role=role)
    if query:
        rows = rows.filter(person__name__icontains=query) | rows.filter(person__organisation__name__icontains=query)
    return rows.order_by("person__name")


def participation_for_person(*, consultation, person: Person) -> Participation | None:
    return Participation.objects.filter(consultation=consultation, person=person).first()


def people_for_consultation(*, consultation) -> QuerySet[Person]:
    return (
        Person.objects.filter(participations__consultation=consultation).select_related("organisation").order_by("name")
    )


def participation_counts(*, consultation) -> dict[str, int]:
    counts = {status: 0 for status in RegistrationStatus.values}
    for status in Participation.objects.filter(consultation=consultation).values_list("status", flat=True):
        counts[status] += 1
    return counts
