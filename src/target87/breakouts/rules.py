"""Who may allocate breakout groups (django-rules, on the consultation).

Conveners allocate, move people, lock groups and publish. Facilitators read the lists of the groups they
lead (see :func:`target87.breakouts.selectors.groups_for_viewer`), whether signed in or through their
personal access link.
"""

import rules

from target87.people.rules import can_manage

rules.add_perm("breakouts.manage", can_manage)
