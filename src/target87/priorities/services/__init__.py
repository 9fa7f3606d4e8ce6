"""Every change to ballots and votes goes through here.

Conveners create, open and close ballots (``actor``, checked with ``require``). Participants vote through
their access link (``participation``, checked by :func:`voter_check`): a vote on a closed ballot, an unknown
item, a ranking with repeated positions or too many dots raises
:class:`~target87.core.errors.ServiceError` and stores nothing. A second vote replaces the first: each
submission is an upsert on the database's one-live-vote constraint.

A participant's first vote on a ballot is one transaction: the paper's upsert, made only if the ballot is open
(its status read under a key-share lock on PostgreSQL, so a closing either counts the vote or refuses it, never
neither), then the votes' upserts and the audit entry. A whole-ballot submission (dots, approval, score, ranked)
is always such a transaction: the paper's upsert locks its row, so two submissions of the same participant wait
for each other rather than interleave. On ballots voted one statement or one pair at a time, once this process
has seen the participant's paper written, each further vote is a single statement of its own — the upsert of
that one vote, made only if the ballot is open — which is what lets a plenary of hundreds vote at once (on
PostgreSQL, the statement votes arriving together in a process share one such statement: see
:mod:`~target87.priorities.services.writes`, where every statement that stores votes lives). The
audit log gets one entry per participant and ballot, at their first vote: later votes are in the votes
themselves, each with the time it was cast.

A ballot's items are set while it is being prepared (:func:`ballot_item_add`, :func:`ballot_item_update`,
:func:`ballot_item_remove`, :func:`ballot_items_reorder`); once it is open they stay as they are, except on an
agree/disagree ballot that takes proposals, where a participant's statement (:func:`statement_propose`) becomes a
new item when the convener accepts it (:func:`proposal_accept`). Every change to the items counts up the ballot's
``items_version`` in the same transaction, under the ballot's row lock: each process's cache of the items is keyed
on it (see :func:`target87.priorities.selectors.ballot_items`).
"""

from __future__ import annotations

from .ballots import (  # noqa: F401 (the package's interface)
    MAX_DOTS,
    MAX_ITEMS,
    MAX_LABEL,
    MAX_STATEMENT,
    ballot_close,
    ballot_create,
    ballot_open,
    proposal_key,
    statement_key,
)
from .items import (  # noqa: F401
    ballot_item_add,
    ballot_item_move,
    ballot_item_remove,
    ballot_item_update,
    ballot_items_reorder,
)
from .proposals import MAX_PENDING, ballot_proposals_set, proposal_accept, proposal_reject, statement_propose  # noqa: F401
from .votes import pairwise_choose, statement_vote, vote_cast, voter_check  # noqa: F401
from .writes import NO_GROUP, voter_group  # noqa: F401
