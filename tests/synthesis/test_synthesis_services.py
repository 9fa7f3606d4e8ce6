"""Suggested merges, the rapporteur's decisions on them, undo, quotes, coverage and the ballot."""

import pytest
from django.core.exceptions import PermissionDenied
from factories_synthesis import OTHER, SAME, accept, suggest

from factories import ConsultationFactory, KeyQuestionFactory, UserFactory
from factories_deliberation import facilitator_of, participant
from target87.core.errors import ServiceError
from target87.core.models import AuditEntry
from target87.deliberation import services as deliberation
from target87.deliberation.models import Recommendation
from target87.engines import textclusters
from target87.priorities.models import Ballot
from target87.synthesis import selectors, services
from target87.synthesis.models import Merge, MergedRecommendation, Suggestion

# --- suggestions ---------------------------------------------------------------------------------------------


def test_near_duplicates_from_two_groups_are_suggested_together_and_the_fallback_is_recorded(
    texts, convener, without_model
):
    r1 = texts.recommendation("Steering committees", SAME[0])
    c1 = texts.contribution(SAME[1], group=1)
    others = [texts.contribution(t, group=2) for t in OTHER]
    run = services.suggestions_request(actor=convener, consultation=texts.consultation)
    assert (run.method_asked, run.method, run.fell_back, run.items) == ("auto", "tfidf", True, 4)
    assert "compared by their words (TF-IDF)" in run.note
    [suggestion] = run.suggestions.all()
    assert [m.obj for m in suggestion.members.all()] == [r1, c1]
    assert others[0].pk not in [m.contribution_id for m in suggestion.members.all()]


def test_a_new_request_replaces_the_pending_suggestions_and_keeps_the_decided_ones(texts, convener):
    texts.recommendation("Steering committees", SAME[0])
    texts.contribution(SAME[1], group=1)
    texts.contribution(OTHER[0], group=2)
    first = services.suggestions_request(actor=convener, consultation=texts.consultation, method="tfidf")
    first = first.suggestions.get()
    services.suggestion_reject(actor=convener, suggestion=first)
    second = services.suggestions_request(actor=convener, consultation=texts.consultation, method="tfidf")
    assert list(Suggestion.objects.filter(status="rejected")) == [first]
    assert second.feedback_pairs == 1
    assert second.suggestions.count() == 0  # the rejected pair is kept apart


def test_decisions_become_the_engines_feedback(texts, convener):
    a, b, c = (texts.contribution(t) for t in (SAME[0], SAME[1], OTHER[0]))
    rejected = suggest(texts.consultation, [a, c])
    services.suggestion_reject(actor=convener, suggestion=rejected)
    keys = [f"c{a.pk}", f"c{b.pk}", f"c{c.pk}"]
    assert services.feedback_pairs(consultation=texts.consultation, keys=keys) == ([], [(0, 2)])


def test_a_split_keeps_the_chosen_members_together_and_apart_from_the_rest(texts, convener):
    a, b, c = (texts.contribution(t) for t in (SAME[0], SAME[1], OTHER[0]))
    suggestion = suggest(texts.consultation, [a, b, c])
    members = list(suggestion.members.all())
    [kept] = services.suggestion_split(actor=convener, suggestion=suggestion, members=members[:2])
    assert [m.obj for m in kept.members.all()] == [a, b]
    assert (kept.status, kept.parent, Suggestion.objects.get(pk=suggestion.pk).status) == (
        "pending",
        suggestion,
        "split",
    )
    keys = [f"c{a.pk}", f"c{b.pk}", f"c{c.pk}"]
    assert services.feedback_pairs(consultation=texts.consultation, keys=keys) == ([], [(0, 2), (1, 2)])


def test_a_split_must_leave_some_out_and_keep_two(texts, convener):
    a, b, c = (texts.contribution(t) for t in (SAME[0], SAME[1], OTHER[0]))
    suggestion = suggest(texts.consultation, [a, b, c])
    members = list(suggestion.members.all())
    for chosen in (members[:1], members):
        with pytest.raises(ServiceError, match="at least two members"):
            services.suggestion_split(actor=convener, suggestion=suggestion, members=chosen)
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"


def test_a_split_refuses_members_of_another_suggestion(texts, convener):
    a, b, c, d = (texts.contribution(t) for t in (SAME[0], SAME[1], SAME[2], OTHER[0]))
    mine, theirs = suggest(texts.consultation, [a, b, c]), suggest(texts.consultation, [c, d])
    with pytest.raises(ServiceError, match="Choose members of this suggestion"):
        services.suggestion_split(
            actor=convener, suggestion=mine, members=[*theirs.members.all(), mine.members.first()]
        )


@pytest.mark.skipif("embeddings" not in textclusters.available_methods(), reason="no embedding model installed")
def test_with_the_model_installed_the_embeddings_run_without_a_note(texts, convener):
    r1 = texts.recommendation("Steering committees", SAME[0])
    c1 = texts.contribution(SAME[1], group=1)
    texts.contribution(OTHER[0], group=2)
    texts.contribution(OTHER[1], group=2)
    run = services.suggestions_request(actor=convener, consultation=texts.consultation, background=False)
    assert (run.method, run.fell_back, run.note) == ("embeddings", False, "")
    assert [[m.obj for m in s.members.all()] for s in run.suggestions.all()] == [[r1, c1]]


def test_a_model_to_load_sends_the_request_to_the_background(texts, convener, monkeypatch):
    monkeypatch.setattr(textclusters, "available_methods", lambda: ["tfidf", "embeddings"])
    texts.contribution(SAME[0])
    texts.contribution(SAME[1])
    job = services.suggestions_request(actor=convener, consultation=texts.consultation)
    assert (job.kind, job.params["method"]) == ("synthesis.suggest", "auto")
    assert services.suggestions_request(actor=convener, consultation=texts.consultation, method="tfidf").items == 2


def test_too_few_texts_is_said_plainly(texts, convener):
    texts.contribution(SAME[0])
    with pytest.raises(ServiceError, match="nothing to compare yet"):
        services.suggestions_request(actor=convener, consultation=texts.consultation)


def test_another_consultations_key_question_is_refused(texts, convener):
    elsewhere = KeyQuestionFactory(consultation=ConsultationFactory(), position=1)
    with pytest.raises(ServiceError) as error:
        services.suggestions_request(actor=convener, consultation=texts.consultation, key_question=elsewhere)
    assert error.value.message_dict == {"key_question": ["Choose one of the consultation's key questions."]}


def test_a_large_request_runs_in_the_background_with_progress(texts, convener, django_capture_on_commit_callbacks):
    texts.recommendation("Steering committees", SAME[0])
    texts.contribution(SAME[1], group=1)
    texts.contribution(OTHER[0], group=2)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.suggestions_request(
            actor=convener, consultation=texts.consultation, method="tfidf", background=True
        )
    job.refresh_from_db()
    assert (job.status, job.error, job.done, job.total) == ("done", "", 3, 3)
    assert job.result["suggestions"] == 1
    assert job.result_url == f"/manage/{texts.consultation.slug}/synthesis/"


# --- accept, stale suggestions, undo -------------------------------------------------------------------------


def test_accepting_makes_a_merged_recommendation_from_every_members_sources(texts, convener):
    c1, c2, c3 = (texts.contribution(t, group=g) for g, t in enumerate(SAME))
    r1 = texts.recommendation("Steering committees", SAME[0], sources=[c1], actors=["governments"])
    r2 = texts.recommendation("Comités", SAME[2], sources=[c3], actors=["social_partners"])
    suggestion = suggest(texts.consultation, [r1, r2, c2])
    draft = services.merge_draft(suggestion)
    assert (draft["title"], draft["actors"]) == ("Steering committees", ["governments", "social_partners"])
    merge = accept(convener, suggestion)
    merged = merge.recommendation
    assert (merged.number, merged.code, merged.title) == (3, "R3", "Social partners on steering committees")
    assert set(merged.contributions.all()) == {c1, c2, c3}
    assert selectors.folded_into(r1) == merged and selectors.folded_into(r2) == merged
    assert Suggestion.objects.get(pk=suggestion.pk).status == "accepted"
    entry = AuditEntry.objects.get(action="synthesis.merge")
    assert (entry.changes["recommendation"], entry.changes["merged"]) == ("R3", ["R1", "R2"])


def test_a_suggestion_whose_member_was_edited_since_is_stale(texts, convener):
    c1 = texts.contribution(SAME[1])
    r1 = texts.recommendation("Steering committees", SAME[0])
    suggestion = suggest(texts.consultation, [r1, c1])
    deliberation.recommendation_update(actor=convener, recommendation=r1, text="Something else entirely.")
    with pytest.raises(ServiceError, match="out of date: R1 was edited since it was made"):
        accept(convener, suggestion)
    assert (Recommendation.objects.count(), Merge.objects.count()) == (1, 0)


def test_a_suggestion_whose_member_was_merged_elsewhere_is_stale(texts, convener):
    c1, c2 = texts.contribution(SAME[1]), texts.contribution(SAME[2])
    r1 = texts.recommendation("Steering committees", SAME[0])
    first, second = suggest(texts.consultation, [r1, c1]), suggest(texts.consultation, [r1, c2])
    accept(convener, first)
    with pytest.raises(ServiceError, match="R1 was merged into another recommendation"):
        accept(convener, second)


def test_a_decided_suggestion_is_not_decided_again(texts, convener):
    suggestion = suggest(texts.consultation, [texts.contribution(SAME[0]), texts.contribution(SAME[1])])
    services.suggestion_reject(actor=convener, suggestion=suggestion)
    with pytest.raises(ServiceError, match="already been decided"):
        accept(convener, suggestion)


def test_undo_restores_the_state_before_the_merge(texts, convener):
    c1 = texts.contribution(SAME[1])
    r1 = texts.recommendation("Steering committees", SAME[0])
    suggestion = suggest(texts.consultation, [r1, c1])
    merge = accept(convener, suggestion)
    services.quote_add(actor=convener, recommendation=merge.recommendation, contribution=c1, text="full members")
    services.merge_undo(actor=convener, merge=merge)
    assert list(Recommendation.objects.all()) == [r1]
    assert selectors.folded_into(r1) is None
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"
    assert list(c1.recommendations.all()) == []
    assert AuditEntry.objects.filter(action="synthesis.merge_undo").get().changes["quotes"] == ["full members"]
    # and the suggestion can be accepted again, as it was
    assert accept(convener, suggestion).recommendation.contributions.get() == c1


def test_a_new_request_keeps_an_undone_merge_and_its_suggestion_as_history(texts, convener):
    c1, c2 = texts.contribution(SAME[0]), texts.contribution(SAME[1], group=1)
    texts.contribution(OTHER[0], group=2)
    suggestion = suggest(texts.consultation, [c1, c2])
    merge = accept(convener, suggestion)
    services.merge_undo(actor=convener, merge=merge)
    services.suggestions_request(actor=convener, consultation=texts.consultation, method="tfidf")
    merge.refresh_from_db()  # still there, undone, with what it had folded
    assert (merge.status, merge.suggestion_id) == ("undone", suggestion.pk)
    assert Suggestion.objects.get(pk=suggestion.pk).get_status_display() == "Replaced by a newer request"
    assert suggestion.pk not in Suggestion.objects.filter(status="pending").values_list("pk", flat=True)


def test_the_number_of_an_undone_merge_is_never_given_again(texts, convener):
    c1, c2 = texts.contribution(SAME[0]), texts.contribution(SAME[1], group=1)
    merge = accept(convener, suggest(texts.consultation, [c1, c2]))
    undone_number = merge.recommendation.number
    services.merge_undo(actor=convener, merge=merge)
    again = accept(convener, suggest(texts.consultation, [c1, c2]))
    assert again.recommendation.number == undone_number + 1


def test_undoing_an_undone_merge_is_refused(texts, convener):
    merge = accept(convener, suggest(texts.consultation, [texts.contribution(SAME[0]), texts.contribution(SAME[1])]))
    services.merge_undo(actor=convener, merge=merge)
    with pytest.raises(ServiceError, match=r"already undone on .*nothing left to undo"):
        services.merge_undo(actor=convener, merge=merge)


def test_undo_is_refused_once_the_merged_recommendation_is_on_a_ballot_or_edited(texts, convener):
    made = [
        accept(convener, suggest(texts.consultation, [texts.contribution(a), texts.contribution(b)]), title=t)
        for a, b, t in ((SAME[0], SAME[1], "One"), (OTHER[0], OTHER[1], "Two"))
    ]
    services.ballot_prepare(actor=convener, consultation=texts.consultation, title="Priorities", method="approval")
    with pytest.raises(ServiceError, match="R1 is on a ballot"):
        services.merge_undo(actor=convener, merge=made[0])
    Ballot.objects.all().delete()
    deliberation.recommendation_update(actor=convener, recommendation=made[1].recommendation, text="Edited.")
    with pytest.raises(ServiceError, match="R2 has been edited or commented on"):
        services.merge_undo(actor=convener, merge=made[1])
    assert Merge.objects.filter(status="active").count() == 2


# --- quotes ----------------------------------------------------------------------------------------------------


def test_a_quote_is_kept_as_the_source_writes_it_whatever_the_spaces(texts, convener):
    source = texts.contribution("Recruitment fees paid by workers\naveraged several months of wages.")
    rec = texts.recommendation("Fees", "End recruitment fees.", sources=[source])
    quote = services.quote_add(
        actor=convener, recommendation=rec, contribution=source, text="  paid by   workers averaged several "
    )
    assert quote.text == "paid by workers\naveraged several"


def test_a_quote_not_in_its_source_is_refused(texts, convener):
    source = texts.contribution("Recruitment fees paid by workers averaged several months of wages.")
    rec = texts.recommendation("Fees", "End recruitment fees.", sources=[source])
    for words in ("fees paid by employers", "RECRUITMENT FEES", "fees, paid"):
        with pytest.raises(ServiceError) as error:
            services.quote_add(actor=convener, recommendation=rec, contribution=source, text=words)
        assert "do not occur in the contribution as written" in error.value.message_dict["text"][0]
    assert rec.synthesis_quotes.count() == 0


def test_a_quote_from_a_contribution_that_is_not_a_source_is_refused(texts, convener):
    source, other = texts.contribution(SAME[0]), texts.contribution(SAME[1])
    rec = texts.recommendation("Committees", SAME[0], sources=[source])
    elsewhere = ConsultationFactory()
    foreign = deliberation.contribution_create(
        consultation=elsewhere,
        actor=UserFactory(is_superuser=True),
        key_question=KeyQuestionFactory(consultation=elsewhere),
        kind="proposal",
        text=SAME[0],
    )
    for contribution in (other, foreign):
        with pytest.raises(ServiceError) as error:
            services.quote_add(actor=convener, recommendation=rec, contribution=contribution, text="Make")
        assert error.value.message_dict == {
            "contribution": ["Choose one of the recommendation's source contributions."]
        }


# --- permissions -----------------------------------------------------------------------------------------------


def test_rapporteurs_and_facilitators_synthesise_but_only_conveners_prepare_ballots(texts):
    rapporteur = facilitator_of(texts.consultation, role="rapporteur")
    suggestion = suggest(texts.consultation, [texts.contribution(SAME[0]), texts.contribution(SAME[1])])
    merge = accept(rapporteur, suggestion)
    accept(rapporteur, suggest(texts.consultation, [texts.contribution(OTHER[0]), texts.contribution(OTHER[1])]))
    assert merge.created_by == rapporteur
    with pytest.raises(PermissionDenied):
        services.ballot_prepare(actor=rapporteur, consultation=texts.consultation, title="B", method="approval")


@pytest.mark.parametrize("who", ["stranger", "participant", "other_convener"])
def test_people_without_a_role_here_cannot_synthesise(texts, who):
    if who == "stranger":
        user = UserFactory()
    elif who == "participant":
        user = facilitator_of(texts.consultation, role="participant")
    else:
        user = facilitator_of(ConsultationFactory(), role="convener")
    suggestion = suggest(texts.consultation, [texts.contribution(SAME[0]), texts.contribution(SAME[1])])
    with pytest.raises(PermissionDenied):
        services.suggestions_request(actor=user, consultation=texts.consultation)
    with pytest.raises(PermissionDenied):
        accept(user, suggestion)
    with pytest.raises(PermissionDenied):
        services.suggestion_reject(actor=user, suggestion=suggestion)
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"


# --- traceability, coverage, ballot ----------------------------------------------------------------------------


def test_traceability_runs_both_ways(texts, convener):
    worker = participant(texts.consultation, "workers")
    c1 = texts.contribution(SAME[0], group=0, stakeholder_group="employers", author=worker)
    c2 = texts.contribution(SAME[1], group=1)
    r1 = texts.recommendation("Committees", SAME[0], sources=[c1])
    merged = accept(convener, suggest(texts.consultation, [r1, c2])).recommendation
    sources = selectors.recommendation_sources(merged)
    assert [(s.contribution, s.breakout.title, s.stakeholder_group, s.author_group, s.via) for s in sources] == [
        (c1, "Breakout A", "Employers' organisation", "Workers' organisation", [r1]),
        (c2, "Breakout B", "", "", []),
    ]
    [to_r1, to_merged] = selectors.contribution_destinations(c1)
    assert (to_r1.recommendation, to_r1.merged_into, to_r1.merge) == (r1, merged, None)
    assert (to_merged.recommendation, to_merged.merged_into, to_merged.merge.code) == (merged, None, "R2")


def test_coverage_lists_per_question_what_no_recommendation_covers(texts, convener):
    covered = texts.contribution(SAME[0], question=0)
    open_1 = texts.contribution(SAME[1], question=0)
    open_2 = texts.contribution(OTHER[0], question=1)
    texts.recommendation("Committees", SAME[0], sources=[covered])
    rows = selectors.coverage(consultation=texts.consultation)
    assert [(r.key_question.position, r.total, r.covered, r.uncovered) for r in rows] == [
        (1, 2, 1, [open_1]),
        (2, 1, 0, [open_2]),
    ]


def test_a_ballot_is_prepared_from_the_merged_recommendations(texts, convener):
    standing = texts.recommendation("Standing alone", OTHER[1])
    one = accept(convener, suggest(texts.consultation, [texts.contribution(SAME[0]), texts.contribution(SAME[1])]))
    with pytest.raises(ServiceError, match="1 merged recommendation stands"):
        services.ballot_prepare(actor=convener, consultation=texts.consultation, title="B", method="borda")
    ballot = services.ballot_prepare(
        actor=convener, consultation=texts.consultation, title="B", method="borda", include_unmerged=True
    )
    assert [i.recommendation for i in ballot.items.order_by("position")] == [standing, one.recommendation]
    assert (ballot.method, ballot.status) == ("borda", "draft")
    assert MergedRecommendation.objects.count() == 0


def test_accepted_members_are_merged_again_next_time_when_covered_contributions_are_compared(texts, convener):
    a, b, c = (texts.contribution(t) for t in (SAME[0], OTHER[0], OTHER[1]))
    accept(convener, suggest(texts.consultation, [a, b]))
    keys = [f"c{a.pk}", f"c{c.pk}", f"c{b.pk}"]
    assert services.feedback_pairs(consultation=texts.consultation, keys=keys) == ([(0, 2)], [])
    run = services.suggestions_request(
        actor=convener, consultation=texts.consultation, method="tfidf", include_covered=True
    )
    # the merged recommendation is found with its two sources, which is nothing new to suggest
    assert (run.items, run.feedback_pairs, run.suggestions.count()) == (4, 1, 0)


def test_a_suggestion_whose_member_was_deleted_is_stale(texts, convener):
    c1, c2 = texts.contribution(SAME[0]), texts.contribution(SAME[1])
    suggestion = suggest(texts.consultation, [c1, c2])
    deliberation.contribution_delete(actor=convener, contribution=c2)
    with pytest.raises(ServiceError, match="out of date: a member was deleted since it was made"):
        accept(convener, suggestion)


@pytest.mark.parametrize("method", ["dots", "approval", "score", "borda", "schulze", "bradley-terry", "consensus"])
def test_every_ballot_method_can_be_prepared_from_the_merged_recommendations(texts, convener, method):
    for pair in ((SAME[0], SAME[1]), (OTHER[0], OTHER[1])):
        accept(convener, suggest(texts.consultation, [texts.contribution(t) for t in pair]), title=pair[0][:40])
    ballot = services.ballot_prepare(
        actor=convener, consultation=texts.consultation, title="Priorities", method=method, dots=10
    )
    assert (ballot.method, [i.code for i in ballot.items.order_by("position")]) == (method, ["R1", "R2"])
