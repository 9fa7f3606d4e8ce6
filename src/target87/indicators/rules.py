"""Who may estimate indicators from survey microdata (django-rules).

A statistician is a signed-in user who is staff or a member of the group “statisticians” (created by a
data migration; give people the capability by adding them to it). Being the convener of a consultation
does not make one a statistician. An estimation, with its survey file, is seen only by the person who
ran it (and by superusers): microdata stay with whoever uploaded them.
"""

from __future__ import annotations

import rules

from target87.core.rules import is_staff, is_superuser

STATISTICIANS_GROUP = "statisticians"


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def in_statisticians_group(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.groups.filter(name=STATISTICIANS_GROUP).exists()


@rules.predicate
def ran_the_estimation(user, estimation) -> bool:
    return estimation is not None and estimation.created_by_id is not None and estimation.created_by_id == user.pk


is_statistician = is_authenticated & (is_superuser | is_staff | in_statisticians_group)
can_use_estimation = is_statistician & (is_superuser | ran_the_estimation)

rules.add_perm("indicators.estimate", is_statistician)
rules.add_perm("indicators.view_observations", is_statistician)
rules.add_perm("indicators.use_estimation", can_use_estimation)
rules.add_perm("indicators.import", is_statistician)
