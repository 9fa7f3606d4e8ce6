"""The demonstration has contributions, recommendations, a closed ballot of every kind with its result, and on the
live agree/disagree ballot a statement proposed by a participant and accepted, and one waiting for review."""

import io

from django.core.management import call_command

from target87.deliberation.models import Contribution, Recommendation
from target87.priorities.enums import Method
from target87.priorities.models import Ballot, Vote


def test_the_demo_has_deliberation_and_a_closed_ballot_of_every_kind(db):
    call_command("load_demo", stdout=io.StringIO())
    demo = "bangkok-2016"
    # with the synthesis part: about 150 contributions and 40 recommendations, so the report is a real one
    assert Contribution.objects.filter(consultation__slug=demo).count() >= 150
    assert Recommendation.objects.filter(consultation__slug=demo).count() >= 40
    closed = Ballot.objects.filter(consultation__slug=demo, status="closed")
    assert sorted(closed.values_list("method", flat=True)) == sorted(Method.values)
    for ballot in closed:
        assert ballot.result["participants"] > 50 and ballot.result["overall"], ballot.title
    consensus = closed.get(method="consensus").result
    plain = [e["item"] for e in consensus["overall"]]
    agreed = [e["item"] for e in consensus["consensus"]]
    # most voters agree with S4 (workers pay no recruitment fees), but the employers and business reject it
    assert plain[0] == "S4" and agreed[0] == "S2" and agreed.index("S4") >= 2
    assert sorted(Ballot.objects.filter(consultation__slug=demo, status="open").values_list("method", flat=True)) == [
        "bradley-terry",
        "consensus",
    ]
    live = Ballot.objects.get(consultation__slug=demo, status="open", method="consensus")
    proposals = list(live.proposals.order_by("created_at").values_list("status", "item__code", "group"))
    assert proposals == [("accepted", "S9", "workers"), ("pending", None, "civil_society")]
    assert live.takes_proposals and live.votes.filter(item__code="S9").count() > 10
    before = (Vote.objects.count(), Ballot.objects.count(), Contribution.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Vote.objects.count(), Ballot.objects.count(), Contribution.objects.count()) == before
