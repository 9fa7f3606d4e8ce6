"""Actions from a CSV file: the command checks every row first and stores nothing if one is wrong, naming the
rows; the web import shows a preview and stores nothing until confirmed; the export reads back as an import."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from target87.commitments import csvio
from target87.commitments.models import Action, Update

HEADER = ",".join(csvio.COLUMNS)
GOOD = (
    "Survey of child labour,,KHM,,Children First Cambodia,,Donor Agency,R2;R3,child_labour,"
    "2020-01-01,2022-12-31,in_progress,30,\n"
)
BAD = "Bad one,,THA,,Nobody Known,,,R9,piracy,2022-01-01,2020-01-01,in_progress,30,\n,,KHM,,,,,R1,,,,planned,0,\n"


def _file(tmp_path, body: str):
    path = tmp_path / "actions.csv"
    path.write_text(HEADER + "\n" + body, encoding="utf-8")
    return path


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("actions", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_command_imports_every_row(world, tmp_path):
    path = _file(tmp_path, GOOD)
    code, out, _err = _run("import", str(path), "--consultation", world.consultation.slug, "--user", "nobody")
    assert code == 2
    code, out, _err = _run(
        "import", str(path), "--consultation", world.consultation.slug, "--user", world.convener.username
    )
    assert (code, out.strip()) == (0, f"Imported 1 actions into {world.consultation.slug}.")
    made = Action.objects.get(title="Survey of child labour")
    assert [r.code for r in made.recommendations.all()] == ["R2", "R3"]
    assert made.updates.get().note == "Imported from a CSV file."


def test_command_stores_nothing_when_a_row_is_wrong_and_names_the_rows(world, tmp_path):
    path = _file(tmp_path, GOOD + BAD)
    before = (Action.objects.count(), Update.objects.count())
    code, _out, err = _run(
        "import", str(path), "--consultation", world.consultation.slug, "--user", world.convener.username
    )
    assert code == 2
    assert (Action.objects.count(), Update.objects.count()) == before
    lines = err.splitlines()
    assert "Row 3: organisation “Nobody Known” is not known to the site" in lines
    assert "Row 3: R9 is not a recommendation of this consultation" in lines
    assert any(line.startswith("Row 3: The due date (2020-01-01) is before the start date") for line in lines)
    assert "Row 4: Give the action a title." in lines
    # an unknown code is the problem; the row is not also told it names no recommendation
    assert "Row 3: Name at least one recommendation that the action answers." not in lines
    assert not any(line.startswith("Row 2") for line in lines)
    assert "Traceback" not in err


def test_focal_point_may_import_only_their_country(world, tmp_path):
    path = _file(tmp_path, GOOD)
    code, _out, err = _run(
        "import", str(path), "--consultation", world.consultation.slug, "--user", world.focal_tha.username
    )
    assert code == 2
    assert "Row 2: you may not add actions of this country or these lead organisations" in err


def test_export_reads_back_as_an_import(world, tmp_path):
    code, out, _err = _run("export", "--consultation", world.consultation.slug)
    assert code == 0
    path = tmp_path / "again.csv"
    path.write_text(out, encoding="utf-8")
    rows, problems = csvio.check(actor=world.convener, consultation=world.consultation, content=path.read_bytes())
    assert problems == []
    assert [r["title"] for r in rows] == ["Child-labour-free zones", "Inspectors trained on fishing vessels"]


@pytest.mark.parametrize(
    "content, words",
    [
        ("title,colour\nA,red\n", "unknown columns colour"),
        (HEADER + "\n", "no action"),
        ("\xff\xfe".encode("latin-1") + b"title", "not UTF-8"),
        (HEADER + '\n"' + "x" * 200_000 + "\n", "a field is longer than 131,072 characters"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(world, content, words):
    from target87.core.errors import ServiceError

    with pytest.raises(ServiceError) as error:
        csvio.check(actor=world.convener, consultation=world.consultation, content=content)
    assert words in error.value.messages[0]


def test_web_import_previews_then_stores_on_confirmation(world, client):
    client.force_login(world.focal_khm)
    url = reverse("commitments:import", kwargs={"slug": world.consultation.slug})
    upload = SimpleUploadedFile("actions.csv", (HEADER + "\n" + GOOD).encode(), content_type="text/csv")
    before = Action.objects.count()
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    assert "1 action is ready; nothing is stored until you confirm." in preview.content.decode()
    assert Action.objects.count() == before
    token = preview.context["token"]
    done = client.post(url, {"confirm": token})
    assert done.status_code == 303
    assert Action.objects.count() == before + 1
    assert Action.objects.get(title="Survey of child labour").created_by == world.focal_khm


def test_web_import_with_problems_stores_nothing(world, client):
    client.force_login(world.convener)
    url = reverse("commitments:import", kwargs={"slug": world.consultation.slug})
    upload = SimpleUploadedFile("actions.csv", (HEADER + "\n" + GOOD + BAD).encode(), content_type="text/csv")
    before = Action.objects.count()
    response = client.post(url, {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was stored." in page
    assert "Row 4: Give the action a title." in page
    assert "Confirm the import" not in page
    assert Action.objects.count() == before


def test_a_tampered_confirmation_is_refused(world, client):
    client.force_login(world.convener)
    url = reverse("commitments:import", kwargs={"slug": world.consultation.slug})
    before = Action.objects.count()
    response = client.post(url, {"confirm": "forged"})
    assert response.status_code == 400
    assert Action.objects.count() == before


def test_the_layout_documents_every_column(world, client):
    assert list(csvio.COLUMN_HELP) == csvio.COLUMNS
    client.force_login(world.convener)
    page = client.get(reverse("commitments:import", kwargs={"slug": world.consultation.slug})).content.decode()
    assert page.count("<tr><th><code>") == len(csvio.COLUMNS)


def test_web_import_refuses_a_file_too_large(world, client):
    client.force_login(world.convener)
    url = reverse("commitments:import", kwargs={"slug": world.consultation.slug})
    big = SimpleUploadedFile("actions.csv", (HEADER + "\n" + GOOD * 40000).encode(), content_type="text/csv")
    response = client.post(url, {"file": big})
    assert response.status_code == 400
    assert "larger than 2 MB" in response.content.decode()
