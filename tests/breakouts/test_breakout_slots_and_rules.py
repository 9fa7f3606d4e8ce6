"""What a convener sees across slots and runs: people who met before are mixed again, colleagues spread,
pairs kept apart or together, working languages, older runs kept whole, the solver's value labelled."""

import itertools
import re

import pytest
from django.db.models import F
from django.urls import reverse

from factories import OrganisationFactory, ParticipationFactory, PersonFactory, RoomFactory, SessionFactory, at
from factories_breakouts import breakout_slot, participants
from target87.breakouts import services
from target87.breakouts.models import Allocation, AllocationRun, BreakoutGroup, BreakoutPair, GroupAssignment
from target87.consultations.models import KeyQuestion
from target87.core.errors import ServiceError


def _page(consultation, session):
    return reverse("breakouts:manage", kwargs={"slug": consultation.slug, "pk": session.pk})


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _allocate(client, consultation, session, **data):
    url = reverse("breakouts:allocate", kwargs={"slug": consultation.slug, "pk": session.pk})
    return client.post(url, {"seed": 0, "time_limit": 1, **data})


def _groups(allocation) -> dict[int, int]:
    allocation.refresh_from_db()
    return dict(
        GroupAssignment.objects.filter(run_id=allocation.current_run_id).values_list(
            "participation_id", "group__number"
        )
    )


@pytest.fixture
def morning(consultation):
    return breakout_slot(consultation, rooms=3, capacity=8)


@pytest.fixture
def afternoon(consultation, morning):
    """Three groups in the same rooms, without key questions."""
    return breakout_slot(consultation, rooms=3, start="14:00", end="15:30", rooms_from=morning, questions=False)


@pytest.fixture
def evening(consultation, morning):
    """Three groups in the same rooms, on the morning's key questions."""
    questions = list(KeyQuestion.objects.filter(consultation=consultation).order_by("position"))
    return breakout_slot(consultation, rooms=3, start="17:00", end="18:30", rooms_from=morning, questions=questions)


# --- rounds across slots ------------------------------------------------------------------------------------


def test_a_later_slot_mixes_people_who_met_in_the_earlier_one_and_says_so(
    convener_client, consultation, morning, afternoon
):
    people = participants(consultation, 18)
    _allocate(convener_client, consultation, morning[0])
    first = _groups(Allocation.objects.get(session=morning[0]))
    response = convener_client.get(_allocate(convener_client, consultation, afternoon[0])["Location"])
    text = _text(response)
    second = _groups(Allocation.objects.get(session=afternoon[0]))
    met = [(a, b) for a, b in itertools.combinations(first, 2) if first[a] == first[b]]
    again = sum(second[a] == second[b] for a, b in met)
    run = Allocation.objects.get(session=afternoon[0]).current_run
    history = run.metrics["history"]
    assert history["earlier_slots"] == 1 and history["pairs_met"] == len(met) == 3 * 15
    assert history["repeated"] == again
    # groups of six from three groups of six: two of each earlier group per group is the best there is
    assert again == 9 * 1 * 3 // 3
    # random groups of these sizes put two given people together with probability 5/17
    assert history["repeated_random"] == round(45 * 3 * 6 * 5 / (18 * 17), 1) == 13.2
    assert (
        f"{again} pairs meet again from the earlier slot (of 45 pairs who met there); random groups would "
        "give about 13.2" in text
    )
    assert len(people) == len(second)


def test_a_later_slot_on_the_same_key_questions_gives_everyone_another_one(
    convener_client, consultation, morning, evening
):
    people = participants(consultation, 18)
    _allocate(convener_client, consultation, morning[0])
    first = _groups(Allocation.objects.get(session=morning[0]))
    text = _text(convener_client.get(_allocate(convener_client, consultation, evening[0])["Location"]))
    allocation = Allocation.objects.get(session=evening[0])
    second = _groups(allocation)
    topic = dict(
        BreakoutGroup.objects.filter(run=allocation.current_run).values_list("number", "key_question__position")
    )
    earlier = dict(
        BreakoutGroup.objects.filter(allocation__session=morning[0]).values_list("number", "key_question__position")
    )
    assert all(topic[second[p.pk]] != earlier[first[p.pk]] for p in people)
    assert "0 people have a key question again" in text


def test_the_earlier_slot_counts_with_its_published_run(consultation, convener, morning, afternoon):
    participants(consultation, 18)
    morning_allocation = services.allocation_run(actor=convener, session=morning[0], time_limit=1).allocation
    services.allocation_publish(actor=convener, allocation=morning_allocation)
    published = _groups(morning_allocation)
    services.allocation_run(actor=convener, session=morning[0], time_limit=1, seed=3)  # a draft, not published
    run = services.allocation_run(actor=convener, session=afternoon[0], time_limit=1).run
    second = dict(run.assignments.values_list("participation_id", "group__number"))
    met = [(a, b) for a, b in itertools.combinations(published, 2) if published[a] == published[b]]
    assert run.metrics["history"]["repeated"] == sum(second[a] == second[b] for a, b in met) == 9


def test_the_first_slot_has_no_figure_of_pairs_meeting_again(convener_client, consultation, morning, afternoon):
    participants(consultation, 18)
    text = _text(convener_client.get(_allocate(convener_client, consultation, morning[0])["Location"]))
    assert "meet again" not in text


# --- colleagues, and pairs kept apart or together -----------------------------------------------------------


def _colleagues(consultation, organisations: int, each: int, **person):
    made = []
    stakes = itertools.cycle(["government", "workers", "employers", "civil_society", "academia", "survivor_led"])
    for k in range(organisations):
        organisation = OrganisationFactory(stakeholder_group=next(stakes), country="THA")
        for j in range(each):
            made.append(
                ParticipationFactory(
                    consultation=consultation,
                    person=PersonFactory(
                        organisation=organisation,
                        name=f"Colleague {k}-{j}",
                        country="THA",
                        gender="woman" if j % 2 else "man",
                        languages=["en"],
                        **person,
                    ),
                )
            )
    return made


def test_colleagues_of_one_organisation_are_spread_over_the_groups(convener_client, consultation, morning):
    _colleagues(consultation, 6, 3)
    text = _text(convener_client.get(_allocate(convener_client, consultation, morning[0])["Location"]))
    run = Allocation.objects.get().current_run
    assert run.metrics["history"]["colleague_pairs"] == 18
    assert run.metrics["history"]["colleagues_together"] == 0
    assert "0 pairs of colleagues (same organisation) share a group, of 18 such pairs" in text


def test_the_convener_keeps_a_delegate_and_their_interpreter_together(convener_client, consultation, morning):
    people = participants(consultation, 18)
    delegate, interpreter = people[0], people[1]
    url = reverse("breakouts:pair_add", kwargs={"slug": consultation.slug, "pk": morning[0].pk})
    response = convener_client.post(url, {"first": interpreter.pk, "kind": "together", "second": delegate.pk})
    assert response.status_code == 302
    text = _text(convener_client.get(_page(consultation, morning[0])))
    assert f"Keep together {delegate.person.name} · {interpreter.person.name}" in text
    for seed in (0, 1):
        _allocate(convener_client, consultation, morning[0], seed=seed)
        groups = _groups(Allocation.objects.get())
        assert groups[delegate.pk] == groups[interpreter.pk]
    pair = BreakoutPair.objects.get()
    assert (pair.first, pair.second, pair.kind) == (delegate, interpreter, "together")
    # removed, the pair is no longer a rule
    remove = reverse("breakouts:pair_remove", kwargs={"slug": consultation.slug, "pk": morning[0].pk, "pair": pair.pk})
    text = _text(convener_client.get(convener_client.post(remove)["Location"]))
    assert "Pair removed." in text and "No pair yet." in text


def test_a_pair_kept_apart_never_shares_a_group_and_contradictions_are_named(convener_client, consultation, morning):
    people = participants(consultation, 18)
    a, b, c = people[0], people[6], people[12]
    url = reverse("breakouts:pair_add", kwargs={"slug": consultation.slug, "pk": morning[0].pk})
    convener_client.post(url, {"first": a.pk, "kind": "apart", "second": b.pk})
    convener_client.post(url, {"first": b.pk, "kind": "together", "second": c.pk})
    _allocate(convener_client, consultation, morning[0])
    groups = _groups(Allocation.objects.get())
    assert groups[a.pk] != groups[b.pk] and groups[b.pk] == groups[c.pk]
    # keeping a and c together would chain a to b: refused, with both names
    response = convener_client.post(url, {"first": a.pk, "kind": "together", "second": c.pk})
    text = _text(response)
    assert response.status_code == 200
    assert f"{a.person.name} and {b.person.name} are to be kept apart" in text
    assert BreakoutPair.objects.count() == 2
    # the same person twice
    text = _text(convener_client.post(url, {"first": a.pk, "kind": "apart", "second": a.pk}))
    assert "Choose two different people." in text


# --- working languages --------------------------------------------------------------------------------------


def test_the_convener_sets_a_group_language_and_the_next_run_follows_it(convener_client, consultation, morning):
    english = participants(consultation, 12)
    both = participants(consultation, 6, start=12, languages=["en", "fr"])
    _allocate(convener_client, consultation, morning[0])
    url = reverse("breakouts:language", kwargs={"slug": consultation.slug, "pk": morning[0].pk, "number": 1})
    response = convener_client.post(url, {"language": "fr"}, headers={"HX-Request": "true"})
    text = _text(response)
    assert "In French" in text
    assert "do not speak it: allocate again to move them, or move them by hand." in text
    assert "does not speak the group's language" in text
    text = _text(convener_client.get(_allocate(convener_client, consultation, morning[0])["Location"]))
    groups = _groups(Allocation.objects.get())
    assert all(groups[p.pk] != 1 for p in english)
    assert sorted(groups[p.pk] for p in both).count(1) == 6
    assert "does not speak the group's language" not in text
    # the language carried over to the new run
    assert BreakoutGroup.objects.get(run=Allocation.objects.get().current_run, number=1).language == "fr"


def test_a_language_nobody_can_follow_is_refused_with_names_not_ids(convener_client, consultation, morning):
    people = participants(consultation, 18)
    loner = people[4]
    loner.person.languages = ["km"]
    loner.person.save()
    _allocate(convener_client, consultation, morning[0])
    allocation = Allocation.objects.get()
    BreakoutGroup.objects.filter(run=allocation.current_run).update(language="en")
    response = _allocate(convener_client, consultation, morning[0])
    text = _text(response)
    assert response.status_code == 200
    assert f"No group in round 1 works in a language spoken by {loner.person.name}" in text
    assert f"p{loner.pk}" not in text
    allocation.refresh_from_db()
    assert allocation.runs.count() == 1  # nothing half-saved


def test_a_group_facilitator_must_speak_its_language(consultation, convener, morning):
    participants(consultation, 18)
    allocation = services.allocation_run(actor=convener, session=morning[0], time_limit=1).allocation
    group = BreakoutGroup.objects.get(run=allocation.current_run, number=1)
    member = allocation.current_run.assignments.filter(group=group).first().participation
    services.group_facilitator_set(actor=convener, group=group, participation=member)
    with pytest.raises(ServiceError) as refused:
        services.group_language_set(actor=convener, group=group, language="fr")
    assert member.person.name in " ".join(refused.value.messages)


# --- older runs kept whole ----------------------------------------------------------------------------------


@pytest.fixture
def plenary_slot(consultation):
    room = RoomFactory(consultation=consultation, name="Ballroom", capacity=30)
    return SessionFactory(
        consultation=consultation,
        kind="breakout",
        title="World café",
        start=at(2, "09:00"),
        end=at(2, "10:30"),
        room=room,
    )


def test_changing_the_number_of_groups_keeps_the_older_runs_whole(convener_client, consultation, plenary_slot):
    participants(consultation, 18)
    _allocate(convener_client, consultation, plenary_slot, group_count=2)
    allocation = Allocation.objects.get()
    first = allocation.current_run
    before = list(first.assignments.values_list("participation_id", "group__number").order_by("participation_id"))
    services.allocation_publish(actor=allocation.runs.first().created_by, allocation=allocation)
    text = _text(convener_client.get(_allocate(convener_client, consultation, plenary_slot, group_count=3)["Location"]))
    allocation.refresh_from_db()
    assert allocation.current_run.number == 2
    assert (
        list(first.assignments.values_list("participation_id", "group__number").order_by("participation_id")) == before
    )
    assert first.groups.count() == 2 and allocation.current_run.groups.count() == 3
    assert "Earlier runs" in text and "Participants still see run 1 until you publish this one." in text
    # the published run's groups are still what participants and facilitators see
    assert all(a.group.run_id == first.pk for a in first.assignments.select_related("group"))
    assert not GroupAssignment.objects.exclude(group__run=F("run")).exists()


def test_a_move_by_hand_only_touches_the_current_run(consultation, convener, morning):
    people = participants(consultation, 18)
    allocation = services.allocation_run(actor=convener, session=morning[0], time_limit=1).allocation
    first = allocation.current_run
    services.allocation_run(actor=convener, session=morning[0], time_limit=1, seed=1)
    allocation.refresh_from_db()
    old_group = BreakoutGroup.objects.get(run=first, number=2)
    person = next(p for p in people if _groups(allocation)[p.pk] == 1)
    with pytest.raises(ServiceError):
        services.assignment_move(actor=convener, allocation=allocation, participation=person, group=old_group)
    with pytest.raises(ServiceError):
        services.group_lock(actor=convener, group=old_group, locked=True)


# --- the solver's value -------------------------------------------------------------------------------------


def test_after_a_move_by_hand_the_objective_is_labelled_as_the_solvers_at_run_time(
    convener_client, consultation, morning
):
    people = participants(consultation, 18)
    text = _text(convener_client.get(_allocate(convener_client, consultation, morning[0])["Location"]))
    assert "The solver's values when the run finished." in text
    allocation = Allocation.objects.get()
    person = next(p for p in people if _groups(allocation)[p.pk] == 1)
    url = reverse("breakouts:move", kwargs={"slug": consultation.slug, "pk": morning[0].pk})
    text = _text(convener_client.post(url, {"participation": person.pk, "group": 2}, headers={"HX-Request": "true"}))
    assert (
        "The solver's values when the run finished, before 1 move by hand; the other figures are those of the "
        "groups as they are now." in text
    )
    assert AllocationRun.objects.get().objective == allocation.current_run.objective
