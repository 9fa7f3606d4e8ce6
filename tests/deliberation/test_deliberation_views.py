"""Contributing from a phone, commenting, capturing, accepting amendments and the CSV exports."""

import csv
import io
import uuid

from factories import KeyQuestionFactory, SessionFactory
from factories_deliberation import ContributionFactory, RecommendationFactory, facilitator_of, participant
from target87.deliberation import services
from target87.deliberation.models import Contribution, Feedback, Recommendation
from target87.people import services as people


def _open_link(client, consultation, convener, group="civil_society"):
    p = participant(consultation, group)
    token = people.access_link_issue(actor=convener, participation=p)
    return p, token


def test_a_participant_contributes_through_their_link(client, consultation, convener):
    question = KeyQuestionFactory(consultation=consultation, position=1, short_title="Policy")
    breakout = SessionFactory(consultation=consultation, kind="breakout", title="Breakout A: supply chains")
    breakout.key_questions.set([question])
    p, token = _open_link(client, consultation, convener)
    response = client.get(f"/a/{token}/contribute/?session={breakout.pk}")
    assert response["Location"] == f"/consultations/{consultation.slug}/contribute/?session={breakout.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f'<option value="{breakout.pk}" selected>Breakout A: supply chains</option>' in page
    key = str(uuid.uuid4())
    fields = {
        "text": "Audit recruitment agencies.",
        "kind": "proposal",
        "key_question": question.pk,
        "session": breakout.pk,
        "countries": ["THA"],
        "client_key": key,
    }
    response = client.post(f"/consultations/{consultation.slug}/contribute/", fields)
    assert response.status_code == 303
    again = client.post(f"/consultations/{consultation.slug}/contribute/", fields)
    assert again.status_code == 303
    made = Contribution.objects.get()
    assert (made.text, made.author, made.stakeholder_group, made.countries) == (
        "Audit recruitment agencies.",
        p,
        "civil_society",
        ["THA"],
    )
    assert "Thank you: your contribution was recorded." in client.get(response["Location"]).content.decode()


def test_without_a_link_the_page_says_to_open_it(client, consultation):
    response = client.get(f"/consultations/{consultation.slug}/contribute/")
    assert response.status_code == 403
    assert "Open your personal link first" in response.content.decode()


def test_a_contribution_with_mistakes_is_sent_back_with_messages(client, consultation, convener):
    KeyQuestionFactory(consultation=consultation, position=1)
    _open_link(client, consultation, convener)
    _p, token = _open_link(client, consultation, convener)
    client.get(f"/a/{token}/contribute/")
    response = client.post(f"/consultations/{consultation.slug}/contribute/", {"text": "", "kind": "rumour"})
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "This field is required." in page
        and "Select a valid choice. rumour is not one of the available choices." in page
    )
    assert Contribution.objects.count() == 0


def test_agenda_shows_where_to_contribute_under_each_breakout_group(client, consultation, convener):
    breakout = SessionFactory(consultation=consultation, kind="breakout", title="Breakout B")
    _p, token = _open_link(client, consultation, convener)
    page = client.get(f"/a/{token}/").content.decode()
    assert (
        f'href="/consultations/{consultation.slug}/contribute/?session={breakout.pk}">Contribute from this group</a>'
        in page
    )


def test_a_participant_comments_and_the_facilitator_accepts_an_amendment(client, consultation, convener):
    rec = RecommendationFactory(consultation=consultation, text="Old text.")
    _p, token = _open_link(client, consultation, convener)
    client.get(f"/a/{token}/")
    response = client.post(
        rec.get_absolute_url(), {"kind": "amendment", "text": "Clearer.", "proposed_text": "New text."}
    )
    assert response.status_code == 303
    amendment = Feedback.objects.get()
    facilitator = facilitator_of(consultation)
    client.force_login(facilitator)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert "Accept the amendment" in page
    client.post(
        f"/manage/{consultation.slug}/recommendations/{rec.number}/amendments/{amendment.pk}/", {"decision": "accept"}
    )
    rec.refresh_from_db()
    assert (rec.text, Feedback.objects.get().status) == ("New text.", "accepted")


def test_a_rapporteur_captures_and_exports_contributions(client, consultation):
    question = KeyQuestionFactory(consultation=consultation, position=2)
    rapporteur = facilitator_of(consultation, role="rapporteur")
    client.force_login(rapporteur)
    response = client.post(
        f"/manage/{consultation.slug}/contributions/",
        {
            "text": "Labour inspectors lack interpreters.",
            "kind": "challenge",
            "key_question": question.pk,
            "stakeholder_group": "workers",
            "thematic_area": "forced_labour",
            "countries": ["KHM", "THA"],
        },
    )
    assert (response.status_code, response["Location"]) == (
        302,
        f"/manage/{consultation.slug}/contributions/?session=&key_question={Contribution.objects.get().key_question_id}",
    )
    exported = client.get(f"/manage/{consultation.slug}/exports/contributions-csv.csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert [(r["key_question"], r["kind"], r["stakeholder_group"], r["countries"], r["text"]) for r in rows] == [
        ("2", "challenge", "workers", "KHM THA", "Labour inspectors lack interpreters.")
    ]


def test_a_rapporteur_captures_in_a_breakout_group_and_stays_in_it(client, consultation):
    question = KeyQuestionFactory(consultation=consultation, position=1)
    breakout = SessionFactory(consultation=consultation, kind="breakout", title="Breakout A")
    client.force_login(facilitator_of(consultation, role="rapporteur"))
    url = f"/manage/{consultation.slug}/contributions/"
    page = client.get(f"{url}?session={breakout.pk}").content.decode()
    assert f'<option value="{breakout.pk}" selected>Breakout A</option>' in page
    fields = {"text": "Interpreters.", "kind": "challenge", "key_question": question.pk, "session": breakout.pk}
    response = client.post(url, fields)
    assert (response.status_code, response["Location"]) == (
        302,
        f"{url}?session={breakout.pk}&key_question={question.pk}",
    )
    assert Contribution.objects.get().session == breakout


def test_a_facilitator_drafts_and_edits_a_recommendation_from_contributions(client, consultation):
    question = KeyQuestionFactory(consultation=consultation, position=1, short_title="Policy")
    breakout = SessionFactory(consultation=consultation, kind="breakout", title="Breakout A")
    first, second = (ContributionFactory(consultation=consultation, key_question=question) for _ in range(2))
    client.force_login(facilitator_of(consultation))
    url = f"/manage/{consultation.slug}/recommendations/"
    fields = {
        "title": "Pooled budgets",
        "text": "Pool the ministries' budgets.",
        "key_question": question.pk,
        "session": breakout.pk,
        "actors": ["governments"],
        "level": "national",
        "timeframe": "medium",
        "contributions": [first.pk],
    }
    assert client.post(url, fields).status_code == 302
    rec = Recommendation.objects.get()
    assert (rec.key_question, rec.session, list(rec.contributions.all())) == (question, breakout, [first])
    page = client.get(f"{url}{rec.number}/").content.decode()
    assert f'<option value="{breakout.pk}" selected>Breakout A</option>' in page
    edit = {**fields, "session": "", "contributions": [first.pk, second.pk], "note": "Both sources"}
    assert client.post(f"{url}{rec.number}/", edit).status_code == 302
    rec.refresh_from_db()
    assert (rec.version, rec.session, list(rec.contributions.all())) == (2, None, [first, second])
    assert rec.versions.first().note == "Both sources"


def test_the_contributions_export_keeps_a_typed_formula_as_text(client, consultation):
    question = KeyQuestionFactory(consultation=consultation, position=1)
    services.contribution_create(
        consultation=consultation,
        participation=participant(consultation, "workers"),
        key_question=question,
        kind="proposal",
        text='=HYPERLINK("http://example.org","Click")',
    )
    client.force_login(facilitator_of(consultation, role="rapporteur"))
    exported = client.get(f"/manage/{consultation.slug}/exports/contributions-csv.csv")
    (row,) = csv.DictReader(io.StringIO(exported.content.decode()))
    assert row["text"] == '\'=HYPERLINK("http://example.org","Click")'


def test_a_participant_cannot_reach_the_capture_page(client, consultation, convener):
    _p, token = _open_link(client, consultation, convener)
    client.get(f"/a/{token}/")
    assert client.get(f"/manage/{consultation.slug}/contributions/").status_code == 302  # to sign in
    client.force_login(facilitator_of(consultation, role="participant"))
    assert client.get(f"/manage/{consultation.slug}/contributions/").status_code == 403


def test_public_pages_keep_anonymous_contributors_anonymous(client, consultation):
    question = KeyQuestionFactory(consultation=consultation, position=1)
    named, hidden = participant(consultation, "workers"), participant(consultation, "survivor_led")
    services.contribution_create(
        consultation=consultation,
        participation=named,
        key_question=question,
        kind="proposal",
        text="Name me.",
        anonymous=False,
    )
    services.contribution_create(
        consultation=consultation,
        participation=hidden,
        key_question=question,
        kind="challenge",
        text="Do not name me.",
        anonymous=True,
    )
    page = client.get(f"/consultations/{consultation.slug}/contributions/").content.decode()
    assert named.person.name in page and hidden.person.name not in page
    assert "Survivor-led organisation" in page


def test_a_participants_contribution_is_published_without_their_name_unless_they_ask(client, consultation):
    from factories import convener_of

    question = KeyQuestionFactory(consultation=consultation, position=1)
    author = participant(consultation, "survivor_led")
    token = people.access_link_issue(actor=convener_of(consultation), participation=author)
    client.get(f"/a/{token}/")
    url = f"/consultations/{consultation.slug}/contribute/"
    form = client.get(url).content.decode()
    assert "Show my name with my contribution on public pages" in form
    assert 'name="show_name"' in form and 'name="show_name" checked' not in form
    client.post(url, {"text": "Shelters need safe phones.", "kind": "proposal", "key_question": question.pk})
    client.post(
        url, {"text": "Name me for this one.", "kind": "proposal", "key_question": question.pk, "show_name": "on"}
    )
    page = client.get(f"/consultations/{consultation.slug}/contributions/").content.decode()
    hidden = page[page.index("Shelters need safe phones.") :].split("</li>")[0]
    named = page[page.index("Name me for this one.") :].split("</li>")[0]
    assert author.person.name not in hidden and author.person.name in named


def test_a_consultation_can_hold_contributions_until_they_are_reviewed(client, consultation):
    from django.test import Client

    from factories import convener_of

    convener = convener_of(consultation)
    question = KeyQuestionFactory(consultation=consultation, position=1)
    convener_client = Client()
    convener_client.force_login(convener)
    edit = convener_client.get(f"/manage/{consultation.slug}/edit/").content.decode()
    assert "Hold participants&#x27; contributions until reviewed" in edit or "Hold participants' contributions" in edit
    from target87.consultations import services as consultations

    consultations.consultation_update(actor=convener, consultation=consultation, hold_contributions=True)
    consultation.refresh_from_db()
    assert consultation.hold_contributions
    made = services.contribution_create(
        consultation=consultation,
        participation=participant(consultation, "survivor_led"),
        key_question=question,
        kind="challenge",
        text="What happened to me at sea.",
    )
    public = f"/consultations/{consultation.slug}/contributions/"
    assert "What happened to me at sea." not in client.get(public).content.decode()
    api = f"/api/v1/consultations/{consultation.slug}/contributions"
    assert "What happened to me at sea." not in client.get(api).content.decode()  # nor through the API
    capture = convener_client.get(f"/manage/{consultation.slug}/contributions/").content.decode()
    assert "What happened to me at sea." in capture and "Reviewed: publish" in capture
    assert client.post(f"/manage/{consultation.slug}/contributions/{made.pk}/review/").status_code in (302, 403)
    assert "What happened to me at sea." not in client.get(public).content.decode()
    convener_client.post(f"/manage/{consultation.slug}/contributions/{made.pk}/review/")
    assert "What happened to me at sea." in client.get(public).content.decode()
    assert "What happened to me at sea." in client.get(api).content.decode()


def test_without_the_hold_contributions_are_public_at_once(client, consultation):
    question = KeyQuestionFactory(consultation=consultation, position=1)
    services.contribution_create(
        consultation=consultation,
        participation=participant(consultation),
        key_question=question,
        kind="proposal",
        text="Public at once.",
    )
    assert "Public at once." in client.get(f"/consultations/{consultation.slug}/contributions/").content.decode()
