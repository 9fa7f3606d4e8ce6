import csv
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from target87.consultations.exporters import schedule_exporters
from target87.core.exporters import BaseExporter, Registry, csv_bytes, response
from target87.deliberation.exporters import deliberation_exporters
from target87.indicators.exporters import estimate_exporters
from target87.priorities.exporters import ballot_exporters


class TextExporter(BaseExporter):
    identifier = "text"
    name = "Text"
    content_type = "text/plain; charset=utf-8"
    extension = "txt"

    def __init__(self, stem: str, text: str = "hello") -> None:
        self.stem = stem
        self.text = text

    def filename(self) -> str:
        return f"{self.stem}.{self.extension}"

    def render(self) -> bytes:
        return self.text.encode()


class CalendarExporter(TextExporter):
    identifier = "calendar"
    inline = True


@pytest.fixture
def registry():
    registry = Registry("test")
    registry.register(TextExporter)
    registry.register(CalendarExporter)
    return registry


def test_registry_gets_an_exporter_by_identifier(registry):
    assert registry.get("text") is TextExporter


def test_registry_lists_exporters_in_registration_order(registry):
    assert list(registry) == [TextExporter, CalendarExporter]
    assert len(registry) == 2


def test_registry_knows_which_identifiers_it_holds(registry):
    assert ("calendar" in registry, "pdf" in registry) == (True, False)


def test_registry_unknown_identifier_is_not_found(registry):
    with pytest.raises(Http404):
        registry.get("pdf")


def test_registry_register_is_a_class_decorator():
    registry = Registry("test")

    @registry.register
    class Decorated(TextExporter):
        identifier = "decorated"

    assert (Decorated.__name__, registry.get("decorated")) == ("Decorated", Decorated)


def test_registry_refuses_a_second_exporter_with_the_same_identifier(registry):
    class Another(TextExporter):
        pass

    with pytest.raises(ImproperlyConfigured):
        registry.register(Another)
    assert registry.get("text") is TextExporter


def test_registry_refuses_an_exporter_without_identifier():
    class Nameless(TextExporter):
        identifier = ""

    with pytest.raises(ImproperlyConfigured):
        Registry("test").register(Nameless)


def test_registry_registering_the_same_class_again_changes_nothing(registry):
    registry.register(TextExporter)
    assert list(registry) == [TextExporter, CalendarExporter]


def test_exporter_classes_are_not_called_in_templates():
    assert BaseExporter.do_not_call_in_templates is True


def test_response_is_an_attachment_with_the_content_type_and_bytes():
    result = response(TextExporter("report"))
    assert result["Content-Type"] == "text/plain; charset=utf-8"
    assert result["Content-Disposition"] == 'attachment; filename="report.txt"'
    assert result.content == b"hello"


def test_response_inline_exporter_is_served_inline():
    assert response(CalendarExporter("schedule"))["Content-Disposition"] == 'inline; filename="schedule.txt"'


def test_response_non_ascii_filename_is_given_in_utf8():
    result = response(TextExporter("enquête-côte-d’ivoire"))
    assert result["Content-Disposition"] == ("attachment; filename*=utf-8''enqu%C3%AAte-c%C3%B4te-d%E2%80%99ivoire.txt")


def test_response_quotes_in_an_ascii_filename_are_escaped():
    result = response(TextExporter('survey "2024"'))
    assert result["Content-Disposition"] == r'attachment; filename="survey \"2024\".txt"'


def test_csv_bytes_writes_utf8_with_newlines():
    assert csv_bytes(["name", "note"], [["Nguyễn", "a, b"], [1, ""]]) == ('name,note\nNguyễn,"a, b"\n1,\n'.encode())


def test_csv_bytes_accepts_a_generator_of_rows():
    assert csv_bytes(["n"], ([i] for i in range(2))) == b"n\n0\n1\n"


def test_csv_bytes_with_byte_order_mark_and_crlf_for_spreadsheets():
    assert csv_bytes(["name"], [["Đức"]], lineterminator="\r\n", bom=True) == b"\xef\xbb\xbfname\r\n" + (
        "Đức\r\n".encode()
    )


def test_csv_bytes_writes_text_that_looks_like_a_formula_as_text():
    rows = [['=HYPERLINK("http://x")', "+1 is mine", "@SUM(A1)", "-drop", "\tx"], ["-1", -1, "+2.5", "1e3", "a=b"]]
    written = list(csv.reader(io.StringIO(csv_bytes(["a", "b", "c", "d", "e"], rows).decode())))
    assert written[1:] == [
        ['\'=HYPERLINK("http://x")', "'+1 is mine", "'@SUM(A1)", "'-drop", "'\tx"],
        ["-1", "-1", "+2.5", "1e3", "a=b"],  # numbers are still numbers
    ]


def test_each_domain_keeps_its_own_exporters():
    assert {
        "schedule": [cls.identifier for cls in schedule_exporters],
        "deliberation": [cls.identifier for cls in deliberation_exporters],
        "ballot": [cls.identifier for cls in ballot_exporters],
        "estimate": [cls.identifier for cls in estimate_exporters],
    } == {
        "schedule": ["ical", "frab-json", "frab-xml"],
        "deliberation": ["contributions-csv", "recommendations-csv", "comments-csv"],
        "ballot": [
            "votes-csv",
            "polis-comments",
            "polis-summary",
            "polis-votes",
            "polis-participants-votes",
            "polis-zip",
        ],
        "estimate": ["csv", "sdmx-csv"],
    }


def test_deliberation_export_url_does_not_serve_a_ballot_exporter(convener_client, consultation):
    contributions = convener_client.get(f"/manage/{consultation.slug}/exports/contributions-csv.csv")
    votes = convener_client.get(f"/manage/{consultation.slug}/exports/votes-csv.csv")
    assert (contributions["Content-Disposition"], votes.status_code) == (
        f'attachment; filename="{consultation.slug}-contributions.csv"',
        404,
    )
