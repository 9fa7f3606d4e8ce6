"""Who may create, run and see a consultation (django-rules, on the consultation).

Staff create consultations; conveners (and superusers) manage one; anyone sees a published one, its conveners
and facilitators a draft too. The roles come from :mod:`target87.people.rules`.
"""

import rules

from target87.core.rules import is_staff, is_superuser
from target87.people.rules import can_manage, can_view

can_create_consultation = is_superuser | is_staff

rules.add_perm("consultations.add_consultation", can_create_consultation)
rules.add_perm("consultations.manage", can_manage)
rules.add_perm("consultations.view", can_view)
