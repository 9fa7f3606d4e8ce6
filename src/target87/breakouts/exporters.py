"""The facilitators' group lists as CSV (one row per person, grouped by group)."""

from __future__ import annotations

from django.utils.text import slugify
from django.utils.translation import gettext as _

from target87.core import countries
from target87.core.exporters import BaseExporter, csv_bytes
from target87.people.enums import Gender, Role, StakeholderGroup


class GroupListsCSV(BaseExporter):
    """The groups of a breakout session's allocation run, with their members (``members``: group id → the
    participations in it)."""

    identifier = "groups-csv"
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def __init__(self, consultation, *, session, groups, members: dict[int, list]) -> None:
        self.consultation = consultation
        self.session = session
        self.groups = groups
        self.members = members

    def filename(self) -> str:
        return f"{slugify(f'{self.consultation.slug}-{self.session.title}-groups')}.{self.extension}"

    def render(self) -> bytes:
        header = [
            _("group"),
            _("room"),
            _("key question"),
            _("name"),
            _("role"),
            _("organisation"),
            _("stakeholder group"),
            _("country"),
            _("gender"),
            _("languages"),
            _("facilitator"),
        ]
        stake = dict(StakeholderGroup.choices)
        genders = dict(Gender.choices)
        roles = dict(Role.choices)
        rows = []
        for group in self.groups:
            question = (
                f"Q{group.key_question.position}. {group.key_question.short_title}" if group.key_question_id else ""
            )
            for p in self.members.get(group.pk, []):
                person = p.person
                organisation = person.organisation
                rows.append(
                    [
                        group.number,
                        group.place,
                        question,
                        person.name,
                        str(roles.get(p.role, p.role)),
                        organisation.name if organisation else "",
                        str(stake.get(person.stakeholder_group, "")),
                        countries.name(person.country) if person.country else "",
                        str(genders.get(person.gender, "")),
                        ";".join(person.languages or []),
                        _("yes") if group.facilitator_id == p.pk else "",
                    ]
                )
        # a byte-order mark so that spreadsheet programs read the names as UTF-8
        return csv_bytes(header, rows, lineterminator="\r\n", bom=True)
