"""``target87 cluster``: id,text CSV in, id,cluster CSV out; one clear line and exit status 2 on bad input."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from target87.cli.cluster import main
from target87.engines.textclusters import vectors

TEXTS = (
    "id,text\n"
    'a,"Register every child at birth, free of charge"\n'
    "b,Make birth registration free and universal for every child\n"
    "c,Strengthen labour inspection in agriculture\n"
    "d,Renforcer l'inspection du travail dans l'agriculture\n"
)


def write(tmp_path: Path, text: str | bytes, name: str = "texts.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def run(capsys, argv: list[str]) -> tuple[int, list[dict[str, str]], str]:
    status = main(argv)
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out))) if captured.out else []
    return status, rows, captured.err


def test_prints_id_and_cluster_in_the_order_of_the_file(tmp_path, capsys):
    status, rows, err = run(capsys, [write(tmp_path, TEXTS), "--method", "tfidf", "--clusters", "2"])
    assert (status, err) == (0, "")
    assert [(r["id"], r["cluster"]) for r in rows] == [("a", "0"), ("b", "0"), ("c", "1"), ("d", "1")]


def test_a_semicolon_file_saved_by_excel_reads_the_same(tmp_path, capsys):
    excel = "\ufeff" + TEXTS.replace("id,text", "id;text").replace('a,"', 'a;"').replace("\nb,", "\nb;")
    excel = excel.replace("\nc,", "\nc;").replace("\nd,", "\nd;").replace("\n", "\r\n")
    status, rows, _err = run(capsys, [write(tmp_path, excel), "--method", "tfidf", "--clusters", "2"])
    assert status == 0
    assert [r["cluster"] for r in rows] == ["0", "0", "1", "1"]


def test_reads_standard_input(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXTS.encode())))
    status, rows, _err = run(capsys, ["-", "--method", "tfidf", "--threshold", "2"])
    assert status == 0
    assert {r["cluster"] for r in rows} == {"0"}


def test_without_the_model_auto_falls_back_and_says_so_on_stderr(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(vectors, "installed_model", lambda: None)
    status, rows, err = run(capsys, [write(tmp_path, TEXTS), "--clusters", "2"])
    assert status == 0 and len(rows) == 4
    assert err.startswith("target87 cluster: note: No sentence-embedding model is installed")


def test_without_the_model_asking_for_embeddings_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(vectors, "installed_model", lambda: None)
    status, rows, err = run(capsys, [write(tmp_path, TEXTS), "--method", "embeddings"])
    assert (status, rows) == (2, [])
    assert "not installed" in err and "--method tfidf" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "args", "words"),
    [
        ("", [], "is empty"),
        ("id,body\n1,Some text\n", [], "no column text"),
        ("id,text\n", [], "no texts"),
        ("id,text\n1,Some text\n1,Other text\n", [], "repeats the id 1"),
        ("id,text\n1,\n", [], "has no text"),
        (TEXTS, ["--clusters", "2", "--threshold", "0.5"], "not both"),
        (TEXTS, ["--clusters", "9"], "between 1 and 4"),
        (TEXTS, ["--clusters", "two"], "invalid int value"),
        (TEXTS, ["--method", "bm25"], "Unknown clustering method"),
        (b"id,text\n1,Protecci\xf3n social\n", [], "not UTF-8"),
    ],
)
def test_bad_input_gives_one_clear_line_and_status_2(tmp_path, capsys, content, args, words):
    status, rows, err = run(capsys, [write(tmp_path, content), "--method", "tfidf", *args])
    assert (status, rows) == (2, [])
    assert words in err
    assert err.startswith("target87 cluster: error: ") and err.count("\n") == 1


def test_a_missing_file_is_named(tmp_path, capsys):
    status, _rows, err = run(capsys, [str(tmp_path / "nowhere.csv"), "--method", "tfidf"])
    assert status == 2
    assert "nowhere.csv" in err


def test_the_command_line_stops_quietly_when_its_reader_closes_the_pipe(tmp_path):
    # 2,000 rows of 70 bytes: more than a pipe holds, so the command is still writing when head goes away
    many = "id,text\n" + "".join(
        f"{'recommendation-' * 4}{i},Recommendation {i} on child labour\n" for i in range(2000)
    )
    path = write(tmp_path, many)
    pipeline = f"{sys.executable} -m target87 cluster {path} --method tfidf --threshold 0.5 | head -n 2"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", pipeline], capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[0] == "id,cluster"
    assert done.stderr == ""


def test_by_question_holds_texts_of_different_key_questions_apart(tmp_path, capsys):
    texts = "id,text,question\na,Register every child at birth,Q1\nb,Register every child at birth now,Q2\n"
    path = write(tmp_path, texts)
    _status, together, _err = run(capsys, [path, "--method", "tfidf", "--threshold", "0.2"])
    status, apart, _err = run(capsys, [path, "--method", "tfidf", "--threshold", "0.2", "--by-question"])
    assert status == 0
    assert [r["cluster"] for r in together] == ["0", "0"]
    assert [r["cluster"] for r in apart] == ["0", "1"]
