"""Who runs a live session: the conveners and the facilitators (and rapporteurs) of the consultation moderate its
questions and keep the clock of its sessions. Participants ask and upvote through their access link, checked by
the services against the participant rules of :mod:`target87.people.rules` ("ask", "vote")."""

import rules

from target87.people.rules import can_manage, is_facilitator

can_moderate = can_manage | is_facilitator

rules.add_perm("live.moderate", can_moderate)
rules.add_perm("live.run_clock", can_moderate)
rules.add_perm("live.export", can_moderate)
