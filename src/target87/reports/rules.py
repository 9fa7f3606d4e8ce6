"""Who may build, route and publish the outcome report (django-rules, on the consultation): its conveners."""

import rules

from target87.people.rules import can_manage

rules.add_perm("reports.manage", can_manage)
