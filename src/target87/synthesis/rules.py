"""Who may synthesise: the people who shape recommendations in deliberation (conveners, and the consultation's
facilitators and rapporteurs). Preparing a ballot from the merged recommendations is a convener's act, as
every ballot is (``priorities.manage_ballot``)."""

import rules

from target87.deliberation.rules import can_capture
from target87.people.rules import can_manage

rules.add_perm("synthesis.synthesise", can_capture)
rules.add_perm("synthesis.prepare_ballot", can_manage)
