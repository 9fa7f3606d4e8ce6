import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from factories import ParticipationFactory, PersonFactory, UserFactory
from target87.jobs.models import Job
from target87.people import imports
from target87.people.models import ParticipantImport, Participation, Person

HEADER = "name,email,organisation,stakeholder_group,country,role\n"
GOOD = HEADER + (
    "Anan Srisuk,anan@example.org,Ministry of Labour,government,THA,participant\n"
    "Hoa Tran,hoa@example.org,Trade Union Congress,workers,VNM,rapporteur\n"
)


def upload(client, content: str | bytes, name="people.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/manage/bangkok-test/participants/import/", {"file": SimpleUploadedFile(name, data)}, follow=True
    )


def test_a_good_file_is_previewed_then_imported_on_confirmation(convener_client, consultation):
    response = upload(convener_client, GOOD)
    page = response.content.decode()
    assert "2 rows checked, no problem. Confirm to import." in page
    assert not Person.objects.filter(email="anan@example.org").exists()  # nothing before confirmation
    batch = ParticipantImport.objects.get()
    done = convener_client.post(
        f"/manage/bangkok-test/participants/import/{batch.pk}/", {"action": "confirm"}, follow=True
    )
    assert "2 participants imported." in done.content.decode()
    rows = Participation.objects.filter(consultation=consultation).exclude(role="convener")
    assert sorted((p.person.email, p.role, p.person.country) for p in rows) == [
        ("anan@example.org", "participant", "THA"),
        ("hoa@example.org", "rapporteur", "VNM"),
    ]


def test_one_participant_imported_is_said_in_the_singular(convener_client, consultation):
    upload(convener_client, GOOD.splitlines(keepends=True)[0] + GOOD.splitlines(keepends=True)[1])
    batch = ParticipantImport.objects.get()
    done = convener_client.post(
        f"/manage/bangkok-test/participants/import/{batch.pk}/", {"action": "confirm"}, follow=True
    )
    assert "1 participant imported." in done.content.decode()


def test_stakeholder_groups_may_be_written_as_the_site_names_them_in_any_of_its_languages(convener, consultation):
    rows = [
        {"name": "A", "email": "a@example.org", "organisation": "TUC", "stakeholder_group": "Workers' organisation",
         "country": "THA"},
        {"name": "B", "email": "b@example.org", "organisation": "NGO", "stakeholder_group": "société civile / ONG",
         "country": "THA"},
        {"name": "C", "email": "c@example.org", "organisation": "Min", "stakeholder_group": "Ministry", "country": "THA"},
    ]  # fmt: skip
    cleaned, problems = imports.check_rows(consultation=consultation, rows=rows)
    assert [row["stakeholder_group"] for row in cleaned[:2]] == ["workers", "civil_society"]
    assert [p["row"] for p in problems] == [4] and "“Ministry” is not a stakeholder group" in problems[0]["message"]


def test_problems_are_shown_per_row_and_nothing_is_stored(convener_client, consultation):
    ParticipationFactory(consultation=consultation, person=PersonFactory(email="taken@example.org"))
    before = Person.objects.count()
    content = HEADER + (
        "Anan,anan-at-example,Ministry,government,THA,\n"
        "Hoa,hoa@example.org,Union,workers,Atlantis,\n"
        "Hoa again,HOA@example.org,Union,labour,VNM,\n"
        "Taken,taken@example.org,Union,workers,VNM,\n"
    )
    page = upload(convener_client, content).content.decode()
    assert "Row 2: “anan-at-example” is not an e-mail address." in page
    assert "Row 3: “Atlantis” is not a known country; use an ISO 3166 code such as THA." in page
    assert "Row 4: The e-mail HOA@example.org appears again (first on row 3)." in page
    assert "Row 4: “labour” is not a stakeholder group; use one of:" in page
    assert "Row 5: taken@example.org is already registered for this consultation." in page
    assert "Confirm the import" not in page
    batch = ParticipantImport.objects.get()
    response = convener_client.post(
        f"/manage/bangkok-test/participants/import/{batch.pk}/", {"action": "confirm"}, follow=True
    )
    assert "Nothing was imported." in response.content.decode()
    assert Person.objects.count() == before


def test_wrong_columns_are_named_with_what_was_expected(convener_client, consultation):
    page = upload(convener_client, "full_name,mail\nA,a@example.org\n").content.decode()
    assert "The file lacks the columns name, email, organisation, stakeholder_group, country." in page
    assert "found: full_name, mail" in page
    assert not ParticipantImport.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("people.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file; “people.pdf” is neither."),
        ("people.csv", b"", "The submitted file is empty."),
        ("people.csv", "name\n".encode("utf-16"), "The file is not UTF-8 text."),
        ("people.xlsx", b"not a workbook", "The file could not be read as an Excel workbook (.xlsx)."),
    ],
)
def test_unreadable_files_get_a_clear_message(convener_client, consultation, name, content, message):
    page = upload(convener_client, content, name).content.decode()
    assert message in page


def test_an_excel_workbook_is_read(convener_client, consultation):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Email", "Organisation", "Stakeholder group", "Country"])
    sheet.append(["Sione Tupou", "sione@example.org", "Ministry of Labour", "government", "TON"])
    buffer = io.BytesIO()
    book.save(buffer)
    page = upload(convener_client, buffer.getvalue(), "people.xlsx").content.decode()
    assert "1 row checked, no problem." in page and "Sione Tupou" in page


def test_a_long_list_is_checked_as_a_background_job_with_progress(
    convener_client, consultation, django_capture_on_commit_callbacks
):
    rows = "".join(f"Person {i},p{i}@example.org,Ministry,government,THA,\n" for i in range(400))
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(convener_client, HEADER + rows)
    job = Job.objects.get()
    assert job.status == "done" and job.done == 400 and job.percent == 100
    assert response.redirect_chain[-1][0] == f"/jobs/{job.pk}/"
    page = convener_client.get(f"/jobs/{job.pk}/").content.decode()
    assert '<progress max="100" value="100">' in page and "See the result" in page
    batch = ParticipantImport.objects.get()
    assert len(batch.rows) == 400 and batch.problems == []


def test_a_short_list_is_checked_at_once_and_kept_as_a_preview(convener, consultation):
    rows = [{"name": "Anan Srisuk", "email": "anan@example.org", "organisation": "Ministry", "country": "THA"}]
    started = imports.import_start(actor=convener, consultation=consultation, filename="people.csv", rows=rows)
    assert started.job is None
    assert [row["email"] for row in started.batch.rows] == ["anan@example.org"]
    assert [p["message"] for p in started.batch.problems] == ["“stakeholder_group” is empty."]
    assert not Job.objects.exists()


def test_a_long_list_starts_a_job_that_checks_it(convener, consultation, django_capture_on_commit_callbacks):
    rows = [
        {
            "name": f"Person {i}",
            "email": f"p{i}@example.org",
            "organisation": "Ministry",
            "stakeholder_group": "government",
            "country": "THA",
        }
        for i in range(imports.BACKGROUND_ROWS + 1)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        started = imports.import_start(actor=convener, consultation=consultation, filename="long.csv", rows=rows)
    started.batch.refresh_from_db()
    started.job.refresh_from_db()
    assert (started.job.kind, started.job.status, started.job.title) == (
        "people.import_check",
        "done",
        "Checking long.csv",
    )
    assert (len(started.batch.rows), started.batch.problems) == (imports.BACKGROUND_ROWS + 1, [])


def test_only_a_convener_starts_an_import_even_of_a_long_list(consultation):
    rows = [{"name": f"Person {i}", "email": f"p{i}@example.org"} for i in range(imports.BACKGROUND_ROWS + 1)]
    with pytest.raises(PermissionDenied):
        imports.import_start(actor=UserFactory(), consultation=consultation, filename="long.csv", rows=rows)
    assert not ParticipantImport.objects.exists() and not Job.objects.exists()


def _long(n=None):
    return [
        {"name": f"Person {i}", "email": f"p{i}@example.org", "organisation": "Ministry",
         "stakeholder_group": "government", "country": "THA"}
        for i in range(n or imports.BACKGROUND_ROWS + 1)
    ]  # fmt: skip


def test_an_import_cannot_be_confirmed_before_its_check_has_run(convener, consultation):
    """The worker had not checked the list yet (or was killed): confirming said "0 participants imported" and the
    check then wrote its rows into a batch that could never be confirmed."""
    started = imports.import_start(actor=convener, consultation=consultation, filename="long.csv", rows=_long())
    assert started.batch.status == "checking"  # the job waits for the transaction (not run in this test)
    with pytest.raises(imports.ServiceError, match="still being checked"):
        imports.import_confirm(actor=convener, batch=started.batch)
    imports._import_check_job(started.job, lambda *args: None)  # the worker gets to it
    batch = ParticipantImport.objects.get(pk=started.batch.pk)
    assert (batch.status, len(batch.rows)) == ("preview", imports.BACKGROUND_ROWS + 1)
    assert imports.import_confirm(actor=convener, batch=batch) == imports.BACKGROUND_ROWS + 1


def test_a_discarded_import_is_not_revived_by_its_check(convener, consultation):
    started = imports.import_start(actor=convener, consultation=consultation, filename="long.csv", rows=_long())
    imports.import_discard(actor=convener, batch=started.batch)
    imports._import_check_job(started.job, lambda *args: None)
    batch = ParticipantImport.objects.get(pk=started.batch.pk)
    assert (batch.status, batch.rows) == ("discarded", [])


def test_values_longer_than_the_record_holds_are_problems_of_their_row(convener, consultation):
    rows = _long(2)
    rows[1]["name"] = "N" * 300
    rows[1]["email"] = "e" * 250 + "@example.org"
    batch = imports.import_upload(actor=convener, consultation=consultation, filename="x.csv", rows=rows)
    messages = [p["message"] for p in batch.problems if p["row"] == 3]
    assert "“name” is longer than 200 characters." in messages
    assert "“email” is longer than 254 characters." in messages


def test_a_file_with_nul_characters_is_refused_naming_the_rows(convener_client, consultation):
    page = upload(
        convener_client, "name,email,organisation,stakeholder_group,country\nA\x00,a@example.org,O,government,THA\n"
    )
    assert "Rows 2 hold NUL characters" in page.content.decode()
    assert not ParticipantImport.objects.exists()


def test_a_mac_csv_with_carriage_returns_is_read(convener_client, consultation):
    data = "name,email,organisation,stakeholder_group,country\rAna,a@example.org,O,government,THA\r"
    page = upload(convener_client, data).content.decode()
    assert "1 row checked, no problem" in page
