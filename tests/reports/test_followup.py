"""The follow-up edition: what has happened since each recommendation (actions, status, progress, latest
update, money in a chosen currency) and the priorities no action answers yet, in every format, as a kept and
comparable edition, from the command and on the web."""

import csv
import io
import json
import subprocess

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation
from factories_followup import followed

from target87.commitments import services as commitments
from target87.core.errors import ServiceError
from target87.reports import followup, selectors, services
from target87.reports.models import Edition
from target87.synthesis import services as synthesis
from target87.synthesis.models import SuggestionRun
from target87.synthesis.services.suggestions import Item, suggestion_store

pytestmark = pytest.mark.django_db

ORPHANS = "Priorities no action answers yet"


def _since(contents, title):
    return next(r["since"] for b in contents["key_questions"] for r in b["recommendations"] if r["title"] == title)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "followup.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    return text + "\n" + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)


@pytest.fixture
def made(consultation, convener):
    return followed(consultation, convener)


@pytest.fixture
def contents(consultation, made):
    with translation.override("en"):
        return followup.followup_contents(consultation=consultation)


def test_followup_gives_the_actions_since_each_recommendation_with_money_in_dollars(contents):
    since = _since(contents, "Labour inspection in farms")
    [action] = since["actions"]
    today = formats.date_format(timezone.localdate())
    assert (action["title"], action["status_label"], action["progress"]) == (
        "Labour inspectors trained in Kanchanaburi farms",
        "In progress",
        60,
    )
    assert (action["lead"], action["place"], action["latest_update"]["label"]) == (
        "Ministry of Labour of Thailand",
        "Thailand",
        today,
    )
    # 350,000 baht committed and 35,000 spent at 35 baht to the dollar
    assert (since["committed"]["label"], since["spent"]["label"]) == ("10,000", "1,000")
    assert since["progress"] == 60
    assert _since(contents, "A shared 8.7 dashboard")["actions"][0]["status_label"] == "Completed"


def test_followup_orphan_priorities_leave_out_dropped_actions(contents, made):
    # the top of the ballot is answered only by a dropped action: it is still an orphan priority
    assert [(o["code"], o["title"]) for o in contents["followup"]["orphan_priorities"]] == [
        (made["recs"][0].code, "National action plans")
    ]
    assert contents["followup"]["orphan_priorities"][0]["places"] == ["place 1 in “Which first?”"]
    dropped = _since(contents, "National action plans")
    assert dropped["progress"] is None  # a dropped action makes no progress to average
    assert contents["summary"]["paragraphs"][-1] == (
        "This follow-up edition tells what has happened since the consultation: 3 actions answer the "
        "recommendations below. 1 high-priority recommendation has no action yet."
    )
    counts = {s["status"]: s["count"] for s in contents["followup"]["by_status"]}
    assert counts == {"planned": 0, "in_progress": 1, "completed": 1, "delayed": 0, "dropped": 1}


def test_followup_money_in_another_currency(consultation, made):
    with translation.override("en"):
        contents = followup.followup_contents(consultation=consultation, currency="EUR")
    since = _since(contents, "Labour inspection in farms")
    # 350,000 THB / 35 × 0.9 = 9,000 EUR; 35,000 THB → 900 EUR
    assert (since["committed"]["value"], since["spent"]["value"]) == (9000, 900)
    assert contents["followup"]["currency"] == "EUR"


def test_followup_answering_a_priority_takes_it_off_the_orphans(consultation, convener, made):
    commitments.action_create(
        actor=convener,
        consultation=consultation,
        title="Provincial action plans in Lao PDR",
        country="LAO",
        recommendations=[made["recs"][0]],
        status="planned",
    )
    with translation.override("en"):
        contents = followup.followup_contents(consultation=consultation)
    assert contents["followup"]["orphan_priorities"] == []


def test_followup_pdf_shows_actions_and_the_orphan_priorities_section(contents, made, tmp_path):
    with translation.override("en"):
        text = _pdf_text(followup.render(contents, "pdf"), tmp_path)
    assert "follow-up edition" in text
    assert "Labour inspectors trained in Kanchanaburi farms — In progress, 60 %" in text
    assert "committed 10,000 USD, spent 1,000 USD" in text
    section = text[text.index(ORPHANS) :]
    assert f"{made['recs'][0].code}. National action plans" in section
    assert "place 1 in “Which first?”" in section


def test_followup_docx_shows_actions_and_the_orphan_priorities_section(contents, made):
    with translation.override("en"):
        text = _docx_text(followup.render(contents, "docx"))
    assert ORPHANS in text
    section = text[text.index(ORPHANS) :]
    code = made["recs"][0].code
    assert f"{code}. National action plans (Q1. Policy measures and good practices)" in section
    assert "Labour inspectors trained in Kanchanaburi farms — In progress, 60 %" in text


def test_followup_csv_and_json(contents):
    rows = list(csv.DictReader(io.StringIO(followup.render(contents, "csv").decode("utf-8-sig"))))
    by_title = {r["title"]: r for r in rows}
    inspection = by_title["Labour inspection in farms"]
    assert (inspection["actions"], inspection["mean_progress"], inspection["committed"], inspection["spent"]) == (
        "1",
        "60",
        "10000",
        "1000",
    )
    assert inspection["latest_update"] == timezone.localdate().isoformat()
    assert [r["title"] for r in rows if r["orphan_priority"] == "yes"] == ["National action plans"]
    data = json.loads(followup.render(contents, "json"))
    assert data["edition"] == "followup"
    assert data["followup"]["orphan_priorities"][0]["title"] == "National action plans"


def test_outcome_report_says_nothing_of_the_follow_up(consultation, made, tmp_path):
    with translation.override("en"):
        contents = followup.contents_for(consultation=consultation)
        text = _pdf_text(followup.render(contents, "pdf"), tmp_path)
    assert contents["followup"] is None
    assert ORPHANS not in text and "Kanchanaburi" not in text


def test_followup_edition_is_kept_dated_and_comparable(consultation, convener, made):
    first = services.edition_build(actor=convener, consultation=consultation, kind="followup", currency="eur")
    assert (first.kind, first.currency, first.is_followup) == ("followup", "EUR", True)
    assert sorted(first.files) == ["csv", "docx", "html", "json", "page", "pdf"]
    assert first.files["pdf"] == "bangkok-test-report-follow-up-en.pdf"
    commitments.action_update(actor=convener, action=made["inspectors"], progress=90, note="Four provinces")
    second = services.edition_build(actor=convener, consultation=consultation, kind="followup")
    diff = selectors.edition_compare(older=first, newer=second)
    changed = [(d["sign"], d["text"].strip()) for d in diff["lines"] if d["sign"] != " "]
    assert changed == [
        ("-", "→ Labour inspectors trained in Kanchanaburi farms — In progress 60 %"),
        ("+", "→ Labour inspectors trained in Kanchanaburi farms — In progress 90 %"),
    ]
    outcome = services.edition_build(actor=convener, consultation=consultation)
    assert outcome.kind == "outcome" and outcome.files["pdf"] == "bangkok-test-report-en.pdf"


def test_followup_edition_for_a_channel_names_only_its_own_orphans(consultation, convener, made):
    alliance = consultation.report_channels.get(slug="global-sdg-alliance")
    alliance.routes.create(recommendation=made["recs"][1])
    with translation.override("en"):
        contents = followup.followup_contents(consultation=consultation, channel=alliance)
    assert contents["followup"]["orphan_priorities"] == []
    assert contents["followup"]["actions"] == 1
    alliance.routes.create(recommendation=made["recs"][0])
    with translation.override("en"):
        contents = followup.followup_contents(consultation=consultation, channel=alliance)
    assert [o["title"] for o in contents["followup"]["orphan_priorities"]] == ["National action plans"]


def test_followup_edition_in_an_unknown_currency_is_refused(consultation, convener, made):
    with pytest.raises(ServiceError) as error:
        services.edition_build(actor=convener, consultation=consultation, kind="followup", currency="XYZ")
    assert error.value.messages == ["There is no exchange rate for “XYZ”: choose one of EUR, THB, USD."]
    with pytest.raises(ServiceError) as error:
        services.edition_build(actor=convener, consultation=consultation, kind="sequel")
    assert error.value.messages == ["An edition is one of outcome, followup; “sequel” is not one of them."]
    assert not Edition.objects.exists()


def test_report_command_writes_the_followup_edition(consultation, made, tmp_path):
    out = tmp_path / "followup.docx"
    call_command(
        "report", consultation.slug, "--format", "docx", "--edition", "followup", "--currency", "THB", "--out", str(out)
    )
    text = _docx_text(out.read_bytes())
    assert ORPHANS in text
    assert "committed 350,000 THB, spent 35,000 THB" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--edition", "sequel"], "An edition is one of outcome, followup; “sequel” is not one of them."),
        (
            ["--edition", "followup", "--currency", "XYZ"],
            "There is no exchange rate for “XYZ”: choose one of EUR, THB, USD.",
        ),
        (["--currency", "EUR"], "--currency is for a follow-up edition: add --edition followup."),
    ],
)
def test_report_command_refuses_a_bad_edition_or_currency(consultation, made, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError) as error:
        call_command("report", consultation.slug, "--format", "pdf", *args, "--out", str(out))
    assert error.value.returncode == 2
    assert str(error.value) == message
    assert not out.exists()


def test_report_command_bad_edition_on_the_terminal_is_one_line(tmp_path):
    result = subprocess.run(
        [".venv/bin/target87", "report", "any", "--format", "pdf", "--edition", "x", "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        env={"TARGET87_VAR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_convener_builds_and_publishes_a_followup_edition_on_the_web(
    convener_client, consultation, made, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = convener_client.post(
            reverse("reports:build", kwargs={"slug": consultation.slug}),
            {"edition": "followup", "channel": "", "language": "en", "currency": "EUR"},
        )
    assert response.status_code == 303
    edition = Edition.objects.get(consultation=consultation)
    assert (edition.kind, edition.currency) == ("followup", "EUR")
    manage = convener_client.get(reverse("reports:manage", kwargs={"slug": consultation.slug})).content.decode()
    assert "Follow-up</strong> (EUR)" in manage
    public = Client()
    url = reverse("reports:public_followup", kwargs={"slug": consultation.slug})
    assert "No follow-up edition of the outcome report has been published yet." in public.get(url).content.decode()
    convener_client.post(reverse("reports:publish", kwargs={"slug": consultation.slug, "number": edition.number}))
    page = public.get(url).content.decode()
    assert ORPHANS in page and "National action plans" in page
    assert "Labour inspectors trained in Kanchanaburi farms" in page
    # the outcome report's public page is not the follow-up edition
    outcome = public.get(reverse("reports:public", kwargs={"slug": consultation.slug})).content.decode()
    assert "The outcome report has not been published yet." in outcome


def test_build_with_a_currency_not_offered_is_refused_on_the_web(convener_client, consultation, made):
    response = convener_client.post(
        reverse("reports:build", kwargs={"slug": consultation.slug}),
        {"edition": "followup", "channel": "", "language": "en", "currency": "XYZ"},
        follow=True,
    )
    assert "Choose an edition, a channel, a language and a currency from the lists." in response.content.decode()
    assert not Edition.objects.exists()


def test_followup_action_on_a_merged_recommendation_answers_the_merge(consultation, convener, made):
    national, inspection = made["recs"][0], made["recs"][1]
    run = SuggestionRun.objects.create(consultation=consultation, method_asked="tfidf", method="tfidf")
    suggestion = suggestion_store(run=run, items=[Item("r", r, r.key_question_id) for r in (national, inspection)])
    merge = synthesis.suggestion_accept(
        actor=convener,
        suggestion=suggestion,
        title="Plans and inspection together",
        text="National action plans, with labour inspection reaching farms.",
        level="national",
        actors=["governments"],
        timeframe="medium",
    )
    with translation.override("en"):
        contents = followup.followup_contents(consultation=consultation)
    titles = [a["title"] for a in _since(contents, "Plans and inspection together")["actions"]]
    # the inspectors' action answered a recommendation now merged; the dropped one answered the other
    assert sorted(titles) == ["Labour inspectors trained in Kanchanaburi farms", "National plan drafting workshop"]
    # the top of the ballot is answered through the merge: no longer an orphan priority
    assert contents["followup"]["orphan_priorities"] == []
    assert merge.recommendation.title == "Plans and inspection together"


def test_the_rapporteur_previews_the_followup_edition_before_building_it(rapporteur_client, consultation, made):
    url = reverse("reports:preview", kwargs={"slug": consultation.slug})
    manage = rapporteur_client.get(reverse("reports:manage", kwargs={"slug": consultation.slug})).content.decode()
    assert f'href="{url}?edition=followup"' in manage
    followup_page = rapporteur_client.get(url, {"edition": "followup"}).content.decode()
    assert "Labour inspectors trained in Kanchanaburi farms" in followup_page
    assert "Priorities no action answers yet" in followup_page
    assert "This is the follow-up edition" in followup_page
    outcome_page = rapporteur_client.get(url).content.decode()
    assert "Labour inspectors trained in Kanchanaburi farms" not in outcome_page
    assert "Priorities no action answers yet" not in outcome_page
    assert "This is the follow-up edition" not in outcome_page
    assert rapporteur_client.get(url, {"edition": "nonsense"}).status_code == 200  # the outcome report, as asked
