"""Who may build, route and publish the outcome report (django-rules, on the consultation): its conveners and
its rapporteurs, who write it."""

import rules

from target87.people.rules import can_manage, is_rapporteur

rules.add_perm("reports.manage", can_manage | is_rapporteur)
