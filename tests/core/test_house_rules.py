"""The house's rules that a reader relies on, checked on the source so that they stay true."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "target87"
APPS = ("api", "breakouts", "consultations", "deliberation", "demo", "indicators", "jobs", "people", "priorities")


def _modules(*, engines: bool):
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).parts
        if "migrations" in parts or (parts[0] == "engines" and not engines):
            continue
        yield path


def test_no_module_outside_the_engines_grows_past_550_lines():
    long = {str(p.relative_to(SRC)): n for p in _modules(engines=False) if (n := len(p.read_text().splitlines())) > 550}
    assert long == {}


def test_core_imports_no_app():
    pattern = re.compile(rf"^\s*(from|import) target87\.({'|'.join(APPS)})\b", re.MULTILINE)
    found = [str(p.relative_to(SRC)) for p in (SRC / "core").rglob("*.py") if pattern.search(p.read_text())]
    assert found == []


def test_engines_import_no_web_framework():
    pattern = re.compile(r"^\s*(from|import) (django|target87\.(?!engines))", re.MULTILINE)
    found = [str(p.relative_to(SRC)) for p in (SRC / "engines").rglob("*.py") if pattern.search(p.read_text())]
    assert found == []


def test_htmx_is_recognised_by_django_htmx_only():
    found = [str(p.relative_to(SRC)) for p in _modules(engines=True) if "HX-Request" in p.read_text()]
    assert found == []


def test_access_links_are_resolved_in_one_function():
    reads = re.compile(r"signing\.loads\([^)]*ACCESS_SALT")
    found = [(str(p.relative_to(SRC)), len(reads.findall(p.read_text()))) for p in _modules(engines=False)]
    assert [(path, n) for path, n in found if n] == [("people/services.py", 1)]


@pytest.mark.skipif(shutil.which("ruff", path=str(Path(sys.executable).parent)) is None, reason="ruff not installed")
def test_ruff_finds_nothing_complexity_included():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    done = subprocess.run([ruff, "check", "--no-cache", str(SRC)], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "All checks passed!")
