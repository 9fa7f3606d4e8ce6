"""``target87 allocate``: files in, groups out, clear messages for bad input."""

from __future__ import annotations

import csv
import json

import pytest

from target87.cli.allocate import main

HEADER = "participant_id,stakeholder_group,country,gender,languages,pref1,pref2,pref3,facilitator\n"


def people_csv(tmp_path, rows=None, header=HEADER, name="people.csv"):
    if rows is None:
        sh = ["government", "workers", "employers", "civil_society", "survivor_led", "academia"]
        rows = [
            f"P{i},{sh[i % 6]},{'KE' if i % 3 else 'UG'},{'f' if i % 2 else 'm'},en;fr,"
            f"{'Child labour' if i % 2 else 'Forced labour'},,,{'yes' if i == 0 else ''}"
            for i in range(12)
        ]
    path = tmp_path / name
    path.write_text(header + "\n".join(rows) + ("\n" if rows else ""), encoding="utf-8")
    return str(path)


def topics_csv(tmp_path):
    path = tmp_path / "topics.csv"
    path.write_text(
        "group_id,topic,capacity,language,facilitator_id\nA,Forced labour,6,en,P0\nB,Child labour,6,,\n",
        encoding="utf-8",
    )
    return str(path)


def english_topics_csv(tmp_path):
    path = tmp_path / "english.csv"
    path.write_text("group_id,topic,capacity,language\nA,Forced labour,6,en\n", encoding="utf-8")
    return str(path)


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_groups_and_summary(tmp_path, capsys):
    out = tmp_path / "out.csv"
    code, stdout, _err = run(capsys, [people_csv(tmp_path), "--groups", "3", "--time-limit", "2", "--out", str(out)])
    assert code == 0
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["participant_id", "round", "group"]
    assert len(rows) == 12 and {r["group"] for r in rows} == {"G1", "G2", "G3"}
    assert "Tripartite coverage:" in stdout
    assert "only 2 of Workers' organisations for 3 groups" in " ".join(stdout.split())
    assert "optimal" in stdout


def test_topics_rounds_json_pairs(tmp_path, capsys):
    out = tmp_path / "out.csv"
    apart = tmp_path / "apart.csv"
    apart.write_text("a,b\nP1,P7\n")
    together = tmp_path / "together.csv"
    together.write_text("a,b\nP2,P3\n")
    code, stdout, _err = run(
        capsys,
        [
            people_csv(tmp_path),
            "--topics",
            topics_csv(tmp_path),
            "--rounds",
            "2",
            "--json",
            "--time-limit",
            "2",
            "--apart",
            str(apart),
            "--together",
            str(together),
            "--seed",
            "3",
            "--out",
            str(out),
        ],
    )
    assert code == 0
    data = json.loads(stdout)
    assert data["status"] in ("optimal", "feasible") and data["gap"] >= 0
    assert set(data["preferences"]) == {"first", "second", "third", "none"}
    rows = {(r["participant_id"], r["round"]): r["group"] for r in csv.DictReader(out.open())}
    for rnd in ("1", "2"):
        assert rows[("P0", rnd)] == "A"
        assert rows[("P1", rnd)] != rows[("P7", rnd)]
        assert rows[("P2", rnd)] == rows[("P3", rnd)]


def test_previous_and_lock(tmp_path, capsys):
    first = tmp_path / "first.csv"
    assert run(capsys, [people_csv(tmp_path), "--groups", "3", "--time-limit", "1", "--out", str(first)])[0] == 0
    rows = list(csv.DictReader(first.open()))
    locked = {r["participant_id"] for r in rows if r["group"] == "G1"}
    second = tmp_path / "second.csv"
    code, _o, _e = run(
        capsys,
        [
            people_csv(tmp_path),
            "--groups",
            "3",
            "--time-limit",
            "1",
            "--previous",
            str(first),
            "--lock",
            "G1",
            "--out",
            str(second),
        ],
    )
    assert code == 0
    again = {r["participant_id"] for r in csv.DictReader(second.open()) if r["group"] == "G1"}
    assert again == locked


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        (lambda t: [people_csv(t, rows=[], header=""), "--groups", "2"], ["empty"]),
        (
            lambda t: [people_csv(t, header="participant_id,country,gender\n", rows=["a,KE,f"]), "--groups", "2"],
            ["stakeholder_group"],
        ),
        (
            lambda t: [people_csv(t, rows=["a,government,KE,f,,,,,", "a,workers,KE,m,,,,,"]), "--groups", "1"],
            ["Duplicate", "a"],
        ),
        (
            lambda t: [people_csv(t, rows=["a,ministry,KE,f,,,,,"]), "--groups", "1"],
            ["ministry", "government", "workers", "private_sector"],
        ),
        (lambda t: [people_csv(t), "--groups", "2", "--capacity", "3"], ["More people than seats", "12"]),
        (
            lambda t: [
                people_csv(t, rows=["b,government,KE,f,en,,,,", "a,government,KE,f,sw,,,,"]),
                "--topics",
                english_topics_csv(t),
            ],
            ["a", "en"],
        ),
        (lambda t: [str(t / "missing.csv"), "--groups", "2"], ["does not exist"]),
        (lambda t: [people_csv(t)], ["--groups"]),
        (lambda t: [people_csv(t, rows=["a,government,KE,f,,,,,maybe"]), "--groups", "1"], ["facilitator", "maybe"]),
    ],
)
def test_bad_input_exits_2_with_a_message(tmp_path, capsys, setup, words):
    code, _out, err = run(capsys, [*setup(tmp_path), "--out", str(tmp_path / "o.csv"), "--time-limit", "1"])
    assert code == 2
    flat = " ".join(err.split())
    for w in words:
        assert w in flat


def test_contradictory_pairs(tmp_path, capsys):
    together = tmp_path / "t.csv"
    together.write_text("a,b\nP1,P2\nP2,P3\n")
    apart = tmp_path / "a.csv"
    apart.write_text("a,b\nP1,P3\n")
    code, _o, err = run(
        capsys,
        [
            people_csv(tmp_path),
            "--groups",
            "2",
            "--together",
            str(together),
            "--apart",
            str(apart),
            "--out",
            str(tmp_path / "o.csv"),
        ],
    )
    assert code == 2
    assert "Contradictory" in err and "P1" in err and "P3" in err


def test_usage_error_is_exit_2(capsys):
    assert main(["--nonsense"]) == 2


def test_semicolon_file_with_bom_allocates_as_the_comma_file(tmp_path, capsys):
    comma = people_csv(tmp_path)
    excel = tmp_path / "excel.csv"
    text = (tmp_path / "people.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.splitlines()]
    excel.write_bytes(("\ufeff" + "".join(";".join(f'"{c}"' for c in row) + "\r\n" for row in rows)).encode())
    outputs = []
    for path in (comma, str(excel)):
        out = tmp_path / f"{len(outputs)}.csv"
        code, _stdout, err = run(capsys, [path, "--groups", "3", "--seed", "1", "--time-limit", "2", "--out", str(out)])
        assert code == 0, err
        outputs.append(out.read_text())
    assert outputs[1] == outputs[0]


def test_file_in_another_encoding_names_the_line(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + "P1,government,CI,f,fr,Travail forcé,,,\n").encode("latin-1"))
    code, _out, err = run(capsys, [str(path), "--groups", "1", "--out", str(tmp_path / "o.csv")])
    assert code == 2
    assert "Line 2 of people.csv has characters in another encoding: save the file as “CSV UTF-8”" in " ".join(
        err.split()
    )


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--seed", "-1"], ["--seed", "from 0 to 2147483647", "-1"]),
        (["--seed", str(2**70)], ["--seed", "from 0 to 2147483647"]),
        (["--time-limit", "nan"], ["--time-limit"]),
        (["--time-limit", "inf"], ["--time-limit", "at most 3600"]),
        (["--workers", "100000"], ["--workers"]),
        (["--groups", "100000000"], ["--groups must be a whole number from 1 to 500"]),
        (["--rounds", "1000000000"], ["--rounds must be a whole number from 1 to 20"]),
        (["--capacity", "99999999999999999999"], ["--capacity must be a whole number from 1 to 10,000"]),
    ],
)
def test_numbers_the_solver_cannot_take_exit_2(tmp_path, capsys, options, words):
    out = tmp_path / "o.csv"
    code, _out, err = run(capsys, [people_csv(tmp_path), "--groups", "3", "--out", str(out), *options])
    assert code == 2 and not out.exists()
    flat = " ".join(err.split())
    for w in words:
        assert w in flat


def test_the_largest_seed_is_taken(tmp_path, capsys):
    out = tmp_path / "o.csv"
    argv = [people_csv(tmp_path), "--groups", "3", "--time-limit", "1", "--seed", str(2**31 - 1), "--out", str(out)]
    assert run(capsys, argv)[0] == 0 and out.exists()


def test_a_field_over_the_csv_limit_exits_2_naming_the_line(tmp_path, capsys):
    rows = ["P1,government,KE,f,,,,,", "x" * 200_000 + ",workers,KE,m,,,,,"]
    code, _out, err = run(capsys, [people_csv(tmp_path, rows=rows), "--groups", "1", "--out", str(tmp_path / "o.csv")])
    assert code == 2
    flat = " ".join(err.split())
    assert "people.csv, line 3" in flat and "longer than 131,072 characters" in flat


def test_a_topic_capacity_beyond_any_room_exits_2(tmp_path, capsys):
    topics = tmp_path / "topics.csv"
    topics.write_text("group_id,topic,capacity\nA,Forced labour,99999999999999999999\n", encoding="utf-8")
    code, _out, err = run(capsys, [people_csv(tmp_path), "--topics", str(topics), "--out", str(tmp_path / "o.csv")])
    assert code == 2 and "capacity must be a whole number from 1 to 10,000" in " ".join(err.split())
