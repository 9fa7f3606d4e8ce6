"""Key messages per key question: written, edited, ordered and removed by the rapporteur on the report page
(audited), kept as typed, shown under each key question in every format, and said to be missing only on the
preview."""

import io
import json
import subprocess

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation
from factories_followup import followed
from factories_reports import filled

from factories import ConsultationFactory, KeyQuestionFactory, UserFactory
from target87.core.errors import ServiceError
from target87.core.models import AuditEntry
from target87.demo import followup as demo
from target87.reports import rendering, services
from target87.reports.contents import report_contents
from target87.reports.models import Edition, KeyMessage

pytestmark = pytest.mark.django_db

FIRST = "Every country adopts a national action plan on child labour by 2018."
SECOND = "Labour inspection reaches farms and fishing vessels."
MARKUP = "Finance <b>follows</b> the plans & the priorities"


@pytest.fixture
def made(consultation, convener):
    return filled(consultation, convener)


def _write(convener, consultation, question, *texts):
    return [
        services.key_message_add(actor=convener, consultation=consultation, key_question=question, text=text)
        for text in texts
    ]


def _contents(consultation, language="en"):
    with translation.override(language):
        return report_contents(consultation=consultation)


def test_key_messages_go_under_their_key_question_in_order(consultation, convener, made):
    q1, q5 = made["questions"][0], made["questions"][4]
    _first, second = _write(convener, consultation, q1, FIRST, SECOND)
    _write(convener, consultation, q5, MARKUP)
    services.key_message_move(actor=convener, message=second, direction="up")
    blocks = _contents(consultation)["key_questions"]
    assert blocks[0]["key_messages"] == [SECOND, FIRST]
    assert [b["key_messages"] for b in blocks[1:4]] == [[], [], []]
    assert blocks[4]["key_messages"] == [MARKUP]  # kept as typed: no escaping, no markup taken away
    assert KeyMessage.objects.get(text=MARKUP).text == MARKUP


def test_key_messages_edited_removed_and_audited(consultation, convener, made):
    q1 = made["questions"][0]
    first, second, third = _write(convener, consultation, q1, FIRST, SECOND, "A third one")
    services.key_message_update(actor=convener, message=first, text="Every country adopts a national action plan.")
    services.key_message_delete(actor=convener, message=second)
    assert _contents(consultation)["key_questions"][0]["key_messages"] == [
        "Every country adopts a national action plan.",
        "A third one",
    ]
    third.refresh_from_db()
    assert third.position == 2  # the list closes up
    actions = list(AuditEntry.objects.filter(action__startswith="reports.key_message").values_list("action", flat=True))
    assert sorted(actions) == sorted(
        ["reports.key_message.create"] * 3 + ["reports.key_message.update", "reports.key_message.delete"]
    )
    update = AuditEntry.objects.get(action="reports.key_message.update")
    assert update.changes["text"] == [FIRST, "Every country adopts a national action plan."]


def test_key_message_translation_shown_in_that_language(consultation, convener, made):
    services.key_message_add(
        actor=convener,
        consultation=consultation,
        key_question=made["questions"][0],
        text=FIRST,
        translations={"fr": "Chaque pays adopte un plan d'action national.", "es": " "},
    )
    with pytest.raises(ServiceError) as error:
        services.key_message_add(
            actor=convener,
            consultation=consultation,
            key_question=made["questions"][0],
            text=SECOND,
            translations={"de": "Arbeitsinspektion"},
        )
    assert error.value.messages == ["Key messages are translated into en, fr, es; “de” is not one of them."]
    assert _contents(consultation, "fr")["key_questions"][0]["key_messages"] == [
        "Chaque pays adopte un plan d'action national."
    ]
    assert _contents(consultation, "es")["key_questions"][0]["key_messages"] == [FIRST]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Write the key message: it is empty."),
        ("x" * 601, "A key message is at most 600 characters; this one has 601. Shorten it."),
    ],
)
def test_key_message_bad_text_is_refused_and_nothing_stored(consultation, convener, made, text, message):
    with pytest.raises(ServiceError) as error:
        _write(convener, consultation, made["questions"][0], text)
    assert error.value.message_dict == {"text": [message]}
    assert not KeyMessage.objects.exists()


def test_key_messages_are_a_short_list(consultation, convener, made):
    q1 = made["questions"][0]
    _write(convener, consultation, q1, *(f"Message {n}" for n in range(services.KEY_MESSAGES_MAX)))
    with pytest.raises(ServiceError) as error:
        _write(convener, consultation, q1, "One too many")
    assert error.value.message_dict["text"] == [
        "Key question 1 already has 8 key messages: the list is kept short. Merge or remove one first."
    ]
    assert KeyMessage.objects.count() == services.KEY_MESSAGES_MAX


def test_key_message_for_another_consultations_question_or_by_a_stranger_is_refused(consultation, convener, made):
    other = KeyQuestionFactory(consultation=ConsultationFactory(), position=1)
    with pytest.raises(ServiceError):
        _write(convener, consultation, other, FIRST)
    with pytest.raises(PermissionDenied):
        _write(UserFactory(), consultation, made["questions"][0], FIRST)
    assert not KeyMessage.objects.exists()


def test_key_messages_in_the_pdf_docx_json_and_html(consultation, convener, made, tmp_path):
    _write(convener, consultation, made["questions"][0], FIRST, SECOND)
    _write(convener, consultation, made["questions"][4], MARKUP)
    contents = _contents(consultation)
    with translation.override("en"):
        pdf, word = rendering.render(contents, "pdf"), rendering.render(contents, "docx")
        html = rendering.render(contents, "html").decode()
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode().split()
    )
    q1 = text[text.index("Key question 1: ") : text.index("Key question 2: ")]
    assert "Key messages" in q1 and q1.index(FIRST) < q1.index(SECOND)
    assert MARKUP in text[text.index("Key question 5: ") :]
    document = docx.Document(io.BytesIO(word))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    start = paragraphs.index(("Heading 1", "Key question 1: Policy measures and good practices"))
    assert paragraphs[start + 2 : start + 5] == [
        ("Heading 2", "Key messages"),
        ("List Number", FIRST),
        ("List Number", SECOND),
    ]
    assert json.loads(rendering.render(contents, "json"))["key_questions"][4]["key_messages"] == [MARKUP]
    assert "Finance &lt;b&gt;follows&lt;/b&gt; the plans &amp; the priorities" in html


def test_published_report_leaves_out_missing_key_messages_the_preview_says_so(
    convener_client, consultation, convener, made
):
    _write(convener, consultation, made["questions"][0], FIRST)
    preview = convener_client.get(reverse("reports:preview", kwargs={"slug": consultation.slug})).content.decode()
    assert FIRST in preview
    assert preview.count("No key message written yet for this key question.") == 4  # key questions 2 to 5
    edition = services.edition_build(actor=convener, consultation=consultation)
    services.edition_publish(actor=convener, edition=edition)
    public = Client().get(reverse("reports:public", kwargs={"slug": consultation.slug})).content.decode()
    assert FIRST in public
    assert public.count("Key messages") == 1
    assert "No key message written yet" not in public


def test_rapporteur_writes_edits_moves_and_removes_on_the_report_page(convener_client, consultation, made):
    slug = consultation.slug
    add = reverse("reports:key_message_add", kwargs={"slug": slug, "position": 1})
    response = convener_client.post(add, {"text": FIRST})
    assert response.status_code == 303 and response["Location"].endswith("#key-messages-q1")
    convener_client.post(add, {"text": SECOND})
    second = KeyMessage.objects.get(text=SECOND)
    change = reverse("reports:key_message_change", kwargs={"slug": slug, "pk": second.pk})
    convener_client.post(change, {"action": "up"})
    emptied = convener_client.post(change, {"action": "save", "text": ""}, follow=True)
    assert "Write the key message: it is empty." in emptied.content.decode()
    convener_client.post(change, {"action": "save", "text": SECOND + " Now."})
    page = convener_client.get(reverse("reports:manage", kwargs={"slug": slug})).content.decode()
    assert page.index(SECOND + " Now.") < page.index(FIRST)
    assert "No key message written yet." in page  # the other key questions
    first = KeyMessage.objects.get(text=FIRST)
    convener_client.post(
        reverse("reports:key_message_change", kwargs={"slug": slug, "pk": first.pk}), {"action": "delete"}
    )
    assert list(KeyMessage.objects.values_list("text", flat=True)) == [SECOND + " Now."]


def test_empty_key_message_on_the_page_says_what_is_wrong(convener_client, consultation, made):
    add = reverse("reports:key_message_add", kwargs={"slug": consultation.slug, "position": 2})
    response = convener_client.post(add, {"text": "  "})
    assert response.status_code == 400
    assert "Write the key message: it is empty." in response.content.decode()
    long = "y" * 700
    response = convener_client.post(add, {"text": long})
    assert response.status_code == 400
    page = response.content.decode()
    assert "A key message is at most 600 characters; this one has 700. Shorten it." in page
    assert long in page  # what was typed stays in the box to shorten
    assert not KeyMessage.objects.exists()
    unknown = reverse("reports:key_message_add", kwargs={"slug": consultation.slug, "position": 9})
    assert convener_client.post(unknown, {"text": FIRST}).status_code == 404
    elsewhere = KeyMessage.objects.create(
        consultation=ConsultationFactory(),
        key_question=KeyQuestionFactory(position=1),
        text="Another consultation's message",
    )
    change = reverse("reports:key_message_change", kwargs={"slug": consultation.slug, "pk": elsewhere.pk})
    assert convener_client.post(change, {"action": "delete"}).status_code == 404
    assert KeyMessage.objects.filter(pk=elsewhere.pk).exists()


def test_others_cannot_write_key_messages(client, consultation, convener, made):
    [message] = _write(convener, consultation, made["questions"][0], FIRST)
    client.force_login(UserFactory())
    add = reverse("reports:key_message_add", kwargs={"slug": consultation.slug, "position": 1})
    change = reverse("reports:key_message_change", kwargs={"slug": consultation.slug, "pk": message.pk})
    assert client.post(add, {"text": SECOND}).status_code in (403, 404)
    assert client.post(change, {"action": "delete"}).status_code in (403, 404)
    assert client.get(reverse("reports:preview", kwargs={"slug": consultation.slug})).status_code in (403, 404)
    assert list(KeyMessage.objects.values_list("text", flat=True)) == [FIRST]


def test_demo_writes_key_messages_and_publishes_a_followup_edition(consultation, convener, tmp_path):
    followed(consultation, convener)
    convener.username = "convener"  # the demonstration's convener
    convener.save()
    demo.load(consultation=consultation)
    demo.load(consultation=consultation)  # again: nothing more
    assert KeyMessage.objects.filter(consultation=consultation).count() == 7
    editions = list(Edition.objects.filter(consultation=consultation).order_by("number"))
    assert [(e.kind, e.is_published) for e in editions] == [("outcome", True), ("followup", True)]
    assert editions[0].contents["key_questions"][0]["key_messages"][0].startswith("National action plans on 8.7")
    orphans = editions[1].contents["followup"]["orphan_priorities"]
    assert [o["title"] for o in orphans] == ["National action plans"]
    with translation.override("fr"):
        assert report_contents(consultation=consultation)["key_questions"][1]["key_messages"] == [
            "Les organisations de travailleurs et d'employeurs siègent comme membres à part entière de chaque "
            "comité national de pilotage."
        ]


def test_rapporteur_translates_a_key_message_on_the_report_page(rapporteur_client, consultation, made):
    client, slug = rapporteur_client, consultation.slug
    client.post(reverse("reports:key_message_add", kwargs={"slug": slug, "position": 1}), {"text": FIRST})
    message = KeyMessage.objects.get(text=FIRST)
    page = client.get(reverse("reports:manage", kwargs={"slug": slug})).content.decode()
    assert f'id="key-message-{message.pk}-text__fr"' in page and f'id="key-message-{message.pk}-text__es"' in page
    assert "none yet: the text as written is given" in page

    change = reverse("reports:key_message_change", kwargs={"slug": slug, "pk": message.pk})
    french = "Chaque pays adopte un plan d'action national sur le travail des enfants d'ici 2018."
    client.post(change, {"action": "save", "text": FIRST, "text__fr": french, "text__es": ""})
    assert _contents(consultation, "fr")["key_questions"][0]["key_messages"] == [french]
    assert _contents(consultation, "es")["key_questions"][0]["key_messages"] == [FIRST]  # none: as written
    entry = AuditEntry.objects.filter(action="reports.key_message.update").latest("pk")
    assert entry.changes["translations"] == [{}, {"fr": {"text": french}}]
    page = client.get(reverse("reports:manage", kwargs={"slug": slug})).content.decode()
    assert french.replace("'", "&#x27;") in page  # shown again to edit

    # a form that sends one language, or none, keeps the others; an emptied one is removed
    spanish = "Cada país adopta un plan de acción nacional sobre el trabajo infantil de aquí a 2018."
    client.post(change, {"action": "save", "text": FIRST, "text__es": spanish})
    client.post(change, {"action": "save", "text": FIRST + " Now."})
    assert _contents(consultation, "fr")["key_questions"][0]["key_messages"] == [french]
    assert _contents(consultation, "es")["key_questions"][0]["key_messages"] == [spanish]
    client.post(change, {"action": "save", "text": FIRST, "text__fr": " "})
    assert _contents(consultation, "fr")["key_questions"][0]["key_messages"] == [FIRST]

    # too long in one language: said for that language, and everything typed is shown again
    response = client.post(change, {"action": "save", "text": FIRST, "text__fr": french, "text__es": "x" * 601})
    assert response.status_code == 400
    page = response.content.decode()
    assert "In Spanish: A key message is at most 600 characters; this one has 601. Shorten it." in page
    assert "x" * 601 in page and french.replace("'", "&#x27;") in page
    assert KeyMessage.objects.get(pk=message.pk).translations == {"es": {"text": spanish}}


def test_a_key_message_with_a_nul_character_is_refused_with_a_message(convener_client, consultation, made):
    convener_client.post(
        reverse("reports:key_message_add", kwargs={"slug": consultation.slug, "position": 1}), {"text": FIRST}
    )
    message = KeyMessage.objects.get(text=FIRST)
    change = reverse("reports:key_message_change", kwargs={"slug": consultation.slug, "pk": message.pk})
    convener_client.post(change, {"action": "save", "text": FIRST, "text__fr": "Chaque pays"})
    page = convener_client.post(
        change, {"action": "save", "text": FIRST, "text__fr": "Chaque\x00 pays"}, follow=True
    ).content.decode()
    assert "Null characters are not allowed." in page
    message.refresh_from_db()
    assert message.translations == {"fr": {"text": "Chaque pays"}}
