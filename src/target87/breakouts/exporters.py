"""The facilitators' group lists as CSV (one row per person, grouped by group)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from target87.core import countries
from target87.people.enums import Gender, Role, StakeholderGroup


def group_lists_csv(groups, members: dict[int, list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
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
    )
    stake = dict(StakeholderGroup.choices)
    genders = dict(Gender.choices)
    roles = dict(Role.choices)
    for group in groups:
        question = f"Q{group.key_question.position}. {group.key_question.short_title}" if group.key_question_id else ""
        for p in members.get(group.pk, []):
            person = p.person
            organisation = person.organisation
            writer.writerow(
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
    return ("\ufeff" + out.getvalue()).encode("utf-8")
