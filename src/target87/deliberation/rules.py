"""Who may capture contributions and shape recommendations (django-rules, on the consultation).

Conveners and the facilitators and rapporteurs of the consultation capture contributions, draft and edit
recommendations and decide on amendments. Participants act through their access link instead: services
take the participant and check them against the participant rules of :mod:`target87.people.rules`.
"""

import rules

from target87.people.rules import can_manage, is_facilitator

can_capture = can_manage | is_facilitator

rules.add_perm("deliberation.capture", can_capture)
rules.add_perm("deliberation.edit_recommendation", can_capture)
rules.add_perm("deliberation.decide_amendment", can_capture)
