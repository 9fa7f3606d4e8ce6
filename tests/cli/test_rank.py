"""``target87 rank``: CSV in, CSV out, exit status 2 with a message on bad input."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from target87.__main__ import main as target87
from target87.cli.rank import main


def write(tmp_path: Path, text: str, name: str = "votes.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(capsys, argv: list[str]) -> tuple[int, list[dict[str, str]], str]:
    status = main(argv)
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out))) if captured.out else []
    return status, rows, captured.err


SCHULZE_45 = [
    ("ACBED", 5),
    ("ADECB", 5),
    ("BEDAC", 8),
    ("CABED", 3),
    ("CAEBD", 7),
    ("CBADE", 2),
    ("DCEBA", 7),
    ("EBADC", 8),
]


def ranked_csv(profile) -> str:
    lines, voter = ["voter,group,item,value"], 0
    for order, count in profile:
        for _ in range(count):
            voter += 1
            lines += [f"v{voter},g{voter % 4},{item},{position}" for position, item in enumerate(order, start=1)]
    return "\n".join(lines) + "\n"


def test_schulze_example_through_the_command(tmp_path, capsys):
    status, rows, err = run(capsys, [write(tmp_path, ranked_csv(SCHULZE_45)), "--method", "schulze"])
    assert status == 0 and err == ""
    assert [(r["item"], r["rank"]) for r in rows] == [
        ("E", "1"),
        ("A", "2"),
        ("C", "3"),
        ("B", "4"),
        ("D", "5"),
    ]
    assert list(rows[0]) == ["item", "rank", "score"]


def test_borda_through_the_dispatcher(tmp_path, capsys):
    path = write(tmp_path, ranked_csv([("MNCK", 42), ("NCKM", 26), ("CKNM", 15), ("KCNM", 17)]))
    assert target87(["target87", "rank", path, "--method", "borda"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["item,rank,score", "N,1,194", "C,2,173", "M,3,126", "K,4,107"]


def test_ties_share_a_competition_rank_and_are_listed_by_name(tmp_path, capsys):
    text = "voter,group,item,value\na,g,Zeta,1\na,g,Beta,1\nb,g,Alpha,1\nb,g,Zeta,1\nc,h,Beta,1\nc,h,Omega,1\n"
    status, rows, _ = run(capsys, [write(tmp_path, text), "--method", "approval"])
    assert status == 0
    assert [(r["item"], r["rank"], r["score"]) for r in rows] == [
        ("Beta", "1", "2"),
        ("Zeta", "1", "2"),
        ("Alpha", "3", "1"),
        ("Omega", "3", "1"),
    ]


def test_dots_and_score(tmp_path, capsys):
    dots = "voter,group,item,value\na,g,X,3\na,g,Y,2\nb,h,Y,4\n"
    status, rows, _ = run(capsys, [write(tmp_path, dots), "--method", "dots", "--dots", "5"])
    assert status == 0 and [(r["item"], r["score"]) for r in rows] == [("Y", "6"), ("X", "3")]
    score = "voter,group,item,value\na,g,X,5\nb,g,X,2\na,g,Y,4\n"
    status, rows, _ = run(capsys, [write(tmp_path, score), "--method", "score"])
    assert status == 0 and [(r["item"], r["rank"], r["score"]) for r in rows] == [
        ("Y", "1", "4"),
        ("X", "2", "3.5"),
    ]


def test_bradley_terry_columns_and_reproducible_intervals(tmp_path, capsys):
    lines = ["voter,group,winner,loser"]
    for i in range(8):
        lines += [f"v{i},g{i % 2},A,B", f"v{i},g{i % 2},B,C", f"v{i},g{i % 2},{'A,C' if i % 4 else 'C,A'}"]
    path = write(tmp_path, "\n".join(lines) + "\n")
    argv = [path, "--method", "bradley-terry", "--bootstrap", "40", "--seed", "11", "--level", "0.9"]
    status, rows, _ = run(capsys, argv)
    assert status == 0
    assert list(rows[0]) == ["item", "rank", "score", "ci_lower", "ci_upper"]
    assert [r["item"] for r in rows] == ["A", "B", "C"]
    for r in rows:
        assert float(r["ci_lower"]) <= float(r["score"]) <= float(r["ci_upper"])
    assert run(capsys, argv)[1] == rows


def test_consensus_columns_and_values(tmp_path, capsys):
    lines = ["voter,group,item,value"]
    lines += [f"e{i},employers,X,1" for i in range(20)]
    lines += [f"e{i},employers,Y,{1 if i < 10 else -1}" for i in range(20)]
    for group in ("governments", "workers", "civil society"):
        lines += [f"{group}{i},{group},X,-1" for i in range(3)]
        lines += [f"{group}{i},{group},Y,{1 if i else 0}" for i in range(3)]  # one pass per group
    status, rows, _ = run(capsys, [write(tmp_path, "\n".join(lines) + "\n"), "--method", "consensus"])
    assert status == 0
    assert list(rows[0]) == [
        "item",
        "rank",
        "score",
        "agree_share",
        "agree_civil society",
        "agree_employers",
        "agree_governments",
        "agree_workers",
    ]
    y, x = rows
    assert (y["item"], y["rank"], x["item"], x["rank"]) == ("Y", "1", "X", "2")
    assert float(y["score"]) == pytest.approx(11 / 22 * (3 / 5) ** 3)  # the pass counts as seen
    assert float(y["agree_workers"]) == pytest.approx(3 / 5)
    assert float(y["agree_employers"]) == pytest.approx(11 / 22)
    assert float(x["agree_share"]) == pytest.approx(20 / 29)
    assert float(y["agree_share"]) == pytest.approx(16 / 29)


@pytest.mark.parametrize(
    ("text", "argv", "expected"),
    [
        (
            "voter,group,item,value\na,g,X,1\na,g,Y,1\n",
            ["--method", "borda"],
            "gave position 1 to both X and Y",
        ),
        ("voter,group,item,value\na,g,X,1\n", ["--method", "majority"], "Unknown method majority"),
        (
            "voter,item,score\na,X,1\n",
            ["--method", "score"],
            "Expected: voter, group, item, value; found: voter, item, score",
        ),
        ("voter,group,item,value\na,g,X,7\n", ["--method", "score"], "outside 0–5"),
        ("voter,group,item,value\na,g,X,2\n", ["--method", "consensus"], "not 2"),
        (
            "voter,group,item,value\na,g,X,4\na,g,Y,3\n",
            ["--method", "dots", "--dots", "6"],
            "placed 7 dots; at most 6",
        ),
        (
            "voter,group,item,value\na,g,X,1\na,g,X,0\n",
            ["--method", "approval"],
            "line 3: voter a voted twice",
        ),
        ("", ["--method", "score"], "empty"),
        ("voter,group,item,value\n", ["--method", "score"], "no votes"),
        ("voter,group,item,value\na,g,X,high\n", ["--method", "score"], "not a number"),
        ("voter,group,winner,loser\na,g,X,X\n", ["--method", "bradley-terry"], "with itself"),
        (
            "voter,group,winner,loser\na,g,X,Y\n",
            ["--method", "bradley-terry", "--level", "95"],
            "between 0 and 1",
        ),
        (
            "voter,group,item,value\na,g,X,1\n",
            ["--method", "score", "--bootstrap", "many"],
            "invalid int value",
        ),
        ("voter,group,item,value\na,g,X,1\n", [], "--method"),
    ],
)
def test_bad_input_exits_2_with_a_message(tmp_path, capsys, text, argv, expected):
    status, rows, err = run(capsys, [write(tmp_path, text), *argv])
    assert status == 2
    assert rows == []
    assert err.startswith("target87 rank: error: ") and expected in err
    assert "Traceback" not in err


def test_missing_file_exits_2(tmp_path, capsys):
    status, _, err = run(capsys, [str(tmp_path / "nowhere.csv"), "--method", "score"])
    assert status == 2 and "Cannot read" in err


def test_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", stdin(b"voter,group,item,value\na,g,X,1\nb,g,Y,1\nc,g,Y,1\n"))
    status, rows, _ = run(capsys, ["-", "--method", "approval"])
    assert status == 0 and [r["item"] for r in rows] == ["Y", "X"]


def stdin(data: bytes) -> io.TextIOWrapper:
    """Standard input as a terminal or a pipe gives it: text over bytes, undecodable bytes kept as escapes."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")


@pytest.mark.parametrize(
    "data, expected",
    [
        (bytes(range(128, 256)) * 2, "standard input has characters in another encoding"),
        (b"\x1b[2J\x1b]0;owned\x07voter,group\x00\n", "standard input is not a CSV text file: line 1 holds control"),
    ],
)
def test_binary_standard_input_is_refused_without_echoing_it(monkeypatch, capsys, data, expected):
    monkeypatch.setattr(sys, "stdin", stdin(data))
    status, rows, err = run(capsys, ["-", "--method", "borda"])
    assert status == 2 and rows == []
    assert expected in err.replace("Line 1 of ", "")
    assert err.endswith("\n") and err[:-1].isprintable()  # one line: no escape, control or stray byte


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--bootstrap", "100000000"], "--bootstrap must be a number of draws from 0 to 10,000"),
        (["--bootstrap", "-1"], "--bootstrap must be"),
        (["--seed", "-1"], "--seed must be a whole number from 0"),
        (["--seed", str(2**64)], "--seed must be a whole number from 0"),
    ],
)
def test_bootstrap_and_seed_are_bounded(tmp_path, capsys, argv, expected):
    path = write(tmp_path, "voter,group,winner,loser\na,g,X,Y\nb,g,Y,X\nc,g,X,Y\n")
    status, rows, err = run(capsys, [path, "--method", "bradley-terry", *argv])
    assert status == 2 and rows == [] and expected in err


def test_command_runs_without_django_or_heavy_libraries_until_needed(tmp_path):
    path = write(tmp_path, "voter,group,item,value\na,g,X,1\n")
    code = (
        "import sys\n"
        "from target87.__main__ import main\n"
        f"status = main(['target87', 'rank', {path!r}, '--method', 'approval'])\n"
        "heavy = [m for m in ('django', 'choix', 'sklearn', 'votelib', 'numpy') if m in sys.modules]\n"
        "print(status, heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "0 []"
    usage = subprocess.run(
        [sys.executable, "-m", "target87", "rank", "--help"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert usage.returncode == 0 and "--method" in usage.stdout
