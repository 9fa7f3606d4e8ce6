"""Who may run ballots: the conveners of the consultation. Participants vote through their access link,
checked by the services against the participant rules of :mod:`target87.people.rules`."""

import rules

from target87.people.rules import can_manage, can_view

rules.add_perm("priorities.manage_ballot", can_manage)
rules.add_perm("priorities.view_results", can_view)
rules.add_perm("priorities.export_votes", can_manage)
