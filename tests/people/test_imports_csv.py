"""A participant list reads as every CSV file does: UTF-8 with or without BOM, the delimiter from the header."""

from django.core.files.uploadedfile import SimpleUploadedFile

from target87.people.models import ParticipantImport

ROWS = [
    ["name", "email", "organisation", "stakeholder_group", "country", "role"],
    ["Anan Srisuk", "anan@example.org", "Ministry of Labour, Employment", "government", "THA", "participant"],
    ["Hoa Tran", "hoa@example.org", "Trade Union Congress", "workers", "VNM", "rapporteur"],
]


def upload(client, data: bytes):
    return client.post(
        "/manage/bangkok-test/participants/import/",
        {"file": SimpleUploadedFile("people.csv", data)},
        follow=True,
    ).content.decode()


def csv_text(delimiter: str) -> str:
    quote = (lambda cell: f'"{cell}"' if "," in cell else cell) if delimiter == "," else str
    return "".join(delimiter.join(quote(cell) for cell in row) + "\n" for row in ROWS)


def test_semicolon_file_with_bom_is_previewed_as_the_comma_file(convener_client, consultation):
    for data in (csv_text(",").encode(), ("\ufeff" + csv_text(";").replace("\n", "\r\n")).encode()):
        assert "2 rows checked, no problem. Confirm to import." in upload(convener_client, data)
    first, second = ParticipantImport.objects.order_by("pk")
    assert second.rows == first.rows
    assert [row["organisation"] for row in first.rows] == ["Ministry of Labour, Employment", "Trade Union Congress"]


def test_file_in_another_encoding_names_the_line(convener_client, consultation):
    page = upload(convener_client, csv_text("\t").replace("Hoa Tran", "Hoà Tran").encode("cp1252"))
    assert "The file is not UTF-8 text. Line 3 of people.csv has characters in another encoding" in page
    assert ParticipantImport.objects.count() == 0
