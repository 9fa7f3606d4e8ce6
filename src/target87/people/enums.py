from django.db import models
from django.utils.translation import gettext_lazy as _


class StakeholderGroup(models.TextChoices):
    """The stakeholder groups of a consultation on target 8.7; an organisation belongs to one."""

    GOVERNMENT = "government", _("Government")
    WORKERS = "workers", _("Workers' organisation")
    EMPLOYERS = "employers", _("Employers' organisation")
    CIVIL_SOCIETY = "civil_society", _("Civil society / NGO")
    SURVIVOR_LED = "survivor_led", _("Survivor-led organisation")
    UN_INTERNATIONAL = "un_international", _("UN or international organisation")
    DEVELOPMENT_PARTNER = "development_partner", _("Development partner / donor")
    ACADEMIA = "academia", _("Academia / research")
    PRIVATE_SECTOR = "private_sector", _("Private sector / business")


def group_label(code: str | None) -> str:
    """A stakeholder group's name in the reader's language; "No stakeholder group" for none (empty, or the
    ``none`` that results use); an unknown code as it is."""
    if code in StakeholderGroup.values:
        return str(StakeholderGroup(code).label)
    return str(_("No stakeholder group")) if code in (None, "", "none") else code


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Another gender")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class Role(models.TextChoices):
    CONVENER = "convener", _("Convener")
    FACILITATOR = "facilitator", _("Facilitator")
    RAPPORTEUR = "rapporteur", _("Rapporteur")
    PARTICIPANT = "participant", _("Participant")
    PANELLIST = "panellist", _("Panellist")
    SPEAKER = "speaker", _("Speaker")
    OBSERVER = "observer", _("Observer")


class RegistrationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
