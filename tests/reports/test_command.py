"""``target87 report``: every format, the channel filter, and one clear line with exit status 2 for bad input."""

import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from factories_reports import filled

pytestmark = pytest.mark.django_db


def _run(*args):
    return call_command("report", *args)


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "json", "csv"])
def test_report_command_writes_each_format(consultation, convener, tmp_path, fmt):
    filled(consultation, convener)
    out = tmp_path / f"report.{fmt}"
    _run(consultation.slug, "--format", fmt, "--out", str(out))
    assert out.stat().st_size > 200


def test_report_command_for_a_channel_and_in_french(consultation, convener, tmp_path):
    made = filled(consultation, convener)
    cambodia = consultation.report_channels.get(country="KHM")
    cambodia.routes.create(recommendation=made["recs"][1])
    out = tmp_path / "khm.csv"
    _run(consultation.slug, "--format", "csv", "--channel", cambodia.slug, "--language", "fr", "--out", str(out))
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and "Labour inspection in farms" in lines[1]


def test_report_command_unknown_channel_lists_the_channels(consultation, convener, tmp_path):
    filled(consultation, convener)
    with pytest.raises(CommandError) as error:
        _run(consultation.slug, "--format", "pdf", "--channel", "mars", "--out", str(tmp_path / "x.pdf"))
    assert error.value.returncode == 2
    assert "no channel “mars”" in str(error.value)
    assert "global-sdg-alliance (Launch of the Global SDG Alliance" in str(error.value)
    assert "country-khm" in str(error.value)
    assert not (tmp_path / "x.pdf").exists()


def test_report_command_unknown_consultation_and_language(consultation, tmp_path):
    with pytest.raises(CommandError) as error:
        _run("nowhere", "--format", "pdf", "--out", str(tmp_path / "x.pdf"))
    assert error.value.returncode == 2
    assert str(error.value) == f"There is no consultation “nowhere”. Consultations: {consultation.slug}."
    with pytest.raises(CommandError) as error:
        _run(consultation.slug, "--format", "pdf", "--language", "de", "--out", str(tmp_path / "x.pdf"))
    assert error.value.returncode == 2


def test_report_command_for_a_consultation_without_recommendations(consultation, tmp_path):
    out = tmp_path / "empty.pdf"
    _run(consultation.slug, "--format", "pdf", "--out", str(out))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True).stdout.decode()
    assert "No recommendations yet." in text


def test_report_command_on_the_terminal_exits_2_without_a_traceback(tmp_path):
    result = subprocess.run(
        [".venv/bin/target87", "report", "nowhere", "--format", "pdf", "--out", str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
        env={"TARGET87_VAR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("CommandError: ")
