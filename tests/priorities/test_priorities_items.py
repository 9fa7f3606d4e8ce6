"""The items of a ballot being prepared: changed, added, taken off and put in order by the convener; fixed once the
ballot is open, with a message that says why."""

import pytest
from django.core.exceptions import PermissionDenied

from factories_deliberation import RecommendationFactory, ballot, facilitator_of
from target87.core.errors import ServiceError
from target87.core.models import AuditEntry
from target87.priorities import selectors, services
from target87.priorities.models import Ballot, BallotItem


def _items(b):
    return list(BallotItem.objects.filter(ballot=b).order_by("position").values_list("position", "code", "label"))


def _codes(b):
    return [code for _position, code, _label in _items(b)]


@pytest.fixture
def draft(consultation, convener):
    return ballot(consultation, convener, "consensus", items=3, open_=False)


def test_the_convener_changes_a_statement_of_a_ballot_being_prepared(convener, draft):
    s2 = draft.items.get(code="S2")
    services.ballot_item_update(actor=convener, item=s2, text="  Inspectors visit every farm. ")
    s2.refresh_from_db()
    assert (s2.label, s2.text) == ("Inspectors visit every farm.", "Inspectors visit every farm.")
    entry = AuditEntry.objects.get(action="ballot.item_update")
    assert entry.changes == {
        "item": "S2",
        "label": ["Statement 2", "Inspectors visit every farm."],
        "text": ["Statement 2", "Inspectors visit every farm."],
    }


def test_a_recommendation_keeps_its_own_label_and_text(consultation, convener):
    b = ballot(consultation, convener, "score", items=2, open_=False)
    item = b.items.first()
    services.ballot_item_update(actor=convener, item=item, label="Shorter title", text="Longer explanation.")
    item.refresh_from_db()
    assert (item.label, item.text, item.recommendation_id is not None) == (
        "Shorter title",
        "Longer explanation.",
        True,
    )


def test_an_empty_or_repeated_label_is_refused_and_nothing_changes(consultation, convener, draft):
    s1 = draft.items.get(code="S1")
    with pytest.raises(ServiceError) as refused:
        services.ballot_item_update(actor=convener, item=s1, text="   ")
    assert refused.value.message_dict == {"text": ["Write the statement."]}
    with pytest.raises(ServiceError) as refused:
        services.ballot_item_update(actor=convener, item=s1, text="statement 3.")
    assert refused.value.message_dict == {"text": ["S3 already says this: each item appears once on a ballot."]}
    scored = ballot(consultation, convener, "score", items=2, open_=False)
    first, second = scored.items.order_by("position")
    with pytest.raises(ServiceError) as refused:
        services.ballot_item_update(actor=convener, item=first, label="", text="Text only")
    assert refused.value.message_dict == {"label": ["Give the item a label."]}
    with pytest.raises(ServiceError) as refused:
        services.ballot_item_update(actor=convener, item=first, label=second.label.upper(), text="")
    assert refused.value.message_dict == {
        "label": [f"{second.code} already says this: each item appears once on a ballot."]
    }
    assert _codes(draft) == ["S1", "S2", "S3"] and draft.items.get(code="S1").label == "Statement 1"
    assert not AuditEntry.objects.filter(action="ballot.item_update").exists()


def test_the_convener_adds_a_statement_and_a_recommendation(consultation, convener, draft):
    added = services.ballot_item_add(actor=convener, ballot=draft, text="Data are shared across ministries.")
    rec = RecommendationFactory(consultation=consultation, title="A national action plan")
    from_rec = services.ballot_item_add(actor=convener, ballot=draft, recommendation=rec)
    assert (added.code, added.position, from_rec.code, from_rec.position, from_rec.label) == (
        "S4",
        4,
        rec.code,
        5,
        "A national action plan",
    )
    with pytest.raises(ServiceError) as refused:
        services.ballot_item_add(actor=convener, ballot=draft, recommendation=rec)
    assert refused.value.message_dict == {"recommendation": [f"{rec.code} is already on this ballot."]}
    assert [e.changes["item"] for e in AuditEntry.objects.filter(action="ballot.item_add").order_by("pk")] == [
        "S4",
        rec.code,
    ]


def test_a_statement_is_added_to_agree_disagree_ballots_only(consultation, convener):
    b = ballot(consultation, convener, "borda", items=2, open_=False)
    with pytest.raises(ServiceError) as refused:
        services.ballot_item_add(actor=convener, ballot=b, text="A statement")
    assert refused.value.message_dict == {
        "text": ["Statements are voted on with agree / disagree; on this ballot, add recommendations."]
    }
    with pytest.raises(ServiceError) as refused:
        services.ballot_item_add(actor=convener, ballot=b, recommendation=RecommendationFactory())
    assert refused.value.message_dict == {"recommendation": ["Choose a recommendation of this consultation."]}


def test_taking_an_item_off_closes_the_gap_and_two_items_stay(convener, draft):
    services.ballot_item_remove(actor=convener, item=draft.items.get(code="S2"))
    assert _items(draft) == [(1, "S1", "Statement 1"), (2, "S3", "Statement 3")]
    with pytest.raises(ServiceError) as refused:
        services.ballot_item_remove(actor=convener, item=draft.items.get(code="S1"))
    assert refused.value.messages == ["A ballot needs at least two items: add another before taking this one off."]
    assert _codes(draft) == ["S1", "S3"]
    # a new statement takes a number not used before
    assert services.ballot_item_add(actor=convener, ballot=draft, text="Another one").code == "S4"


def test_the_convener_puts_the_items_in_order(convener, draft):
    s1, s2, s3 = draft.items.order_by("position")
    services.ballot_items_reorder(actor=convener, ballot=draft, order=[s3.pk, s1.pk, s2.pk])
    assert _codes(draft) == ["S3", "S1", "S2"]
    services.ballot_item_move(actor=convener, item=s2, by=-1)
    assert _codes(draft) == ["S3", "S2", "S1"]
    services.ballot_item_move(actor=convener, item=s3, by=-1)  # already first: stays
    assert _codes(draft) == ["S3", "S2", "S1"]
    with pytest.raises(ServiceError) as refused:
        services.ballot_items_reorder(actor=convener, ballot=draft, order=[s1.pk, s2.pk])
    assert refused.value.messages == ["Give the order of every item of this ballot, each once."]
    assert AuditEntry.objects.filter(action="ballot.items_reorder").count() == 2


def test_once_open_the_items_cannot_be_changed_and_the_message_says_why(consultation, convener):
    b = ballot(consultation, convener, "consensus", items=3)
    item = b.items.get(code="S1")
    why = "This ballot is open: participants are voting on its items, so they can no longer be changed."
    for change in (
        lambda: services.ballot_item_update(actor=convener, item=item, text="Changed"),
        lambda: services.ballot_item_add(actor=convener, ballot=b, text="Added"),
        lambda: services.ballot_item_remove(actor=convener, item=item),
        lambda: services.ballot_item_move(actor=convener, item=item, by=1),
    ):
        with pytest.raises(ServiceError) as refused:
            change()
        assert refused.value.messages == [why]
    proposals = ballot(consultation, convener, "consensus", items=2, takes_proposals=True)
    with pytest.raises(ServiceError) as refused:
        services.ballot_item_add(actor=convener, ballot=proposals, text="Added")
    assert refused.value.messages == [
        why + " Only statements proposed by participants are added, once you accept them."
    ]
    closed = services.ballot_close(actor=convener, ballot=b)
    with pytest.raises(ServiceError) as refused:
        services.ballot_item_update(actor=convener, item=item, text="Changed")
    assert refused.value.messages == ["This ballot is closed: its items and its result are kept as they were voted."]
    assert _items(closed) == [(1, "S1", "Statement 1"), (2, "S2", "Statement 2"), (3, "S3", "Statement 3")]


def test_only_conveners_change_items(consultation, draft):
    with pytest.raises(PermissionDenied):
        services.ballot_item_update(actor=facilitator_of(consultation), item=draft.items.first(), text="Mine")
    assert draft.items.first().label == "Statement 1"


def test_the_items_cache_follows_changes_made_while_preparing(convener, draft):
    assert [i.code for i in selectors.ballot_items(ballot=draft)] == ["S1", "S2", "S3"]
    services.ballot_item_remove(actor=convener, item=draft.items.get(code="S1"))
    current = Ballot.objects.get(pk=draft.pk)
    assert current.items_version == 1
    assert [i.code for i in selectors.ballot_items(ballot=current)] == ["S2", "S3"]


def test_repeated_statements_are_refused_when_preparing(consultation, convener):
    with pytest.raises(ServiceError) as refused:
        services.ballot_create(
            actor=convener, consultation=consultation, title="T", method="consensus", statements=["Same", "same."]
        )
    assert refused.value.message_dict == {"statements": ["Each statement appears once: remove the repeated ones."]}


def test_an_item_taken_off_twice_says_it_is_gone(convener, draft):
    s2 = draft.items.get(code="S2")
    services.ballot_item_add(actor=convener, ballot=draft, text="A fourth statement")
    services.ballot_item_remove(actor=convener, item=s2)
    for change in (
        lambda: services.ballot_item_remove(actor=convener, item=s2),  # a second click on "Take off"
        lambda: services.ballot_item_update(actor=convener, item=s2, text="Too late"),
    ):
        with pytest.raises(ServiceError) as refused:
            change()
        assert refused.value.messages == ["This item is no longer on the ballot."]
    assert _codes(draft) == ["S1", "S3", "S4"]


def test_a_recommendation_and_a_statement_at_once_are_refused(consultation, convener, draft):
    rec = RecommendationFactory(consultation=consultation)
    with pytest.raises(ServiceError) as refused:
        services.ballot_item_add(actor=convener, ballot=draft, recommendation=rec, text="A statement of my own")
    assert refused.value.message_dict == {"text": ["Choose a recommendation or write a statement, not both."]}
    assert _codes(draft) == ["S1", "S2", "S3"]


@pytest.mark.django_db(transaction=True)
def test_every_change_to_items_runs_in_its_own_transaction(consultation, convener):
    """Outside a test's transaction, as on the server: the ballot's lock needs the service's own transaction."""
    b = ballot(consultation, convener, "consensus", items=3, open_=False)
    s1 = b.items.get(code="S1")
    services.ballot_item_update(actor=convener, item=s1, text="Inspectors visit every farm.")
    added = services.ballot_item_add(actor=convener, ballot=b, text="Data are shared.")
    services.ballot_item_remove(actor=convener, item=added)
    assert _items(b) == [(1, "S1", "Inspectors visit every farm."), (2, "S2", "Statement 2"), (3, "S3", "Statement 3")]
