"""Who may do what with the outcome report (django-rules, on the consultation).

``reports.write``: its rapporteurs and conveners write it: key messages, routing recommendations to channels,
building, previewing, comparing and publishing editions. ``reports.manage``: its conveners alone set the channels
and withdraw a published edition."""

import rules

from target87.people.rules import can_manage, is_rapporteur

rules.add_perm("reports.write", can_manage | is_rapporteur)
rules.add_perm("reports.manage", can_manage)
