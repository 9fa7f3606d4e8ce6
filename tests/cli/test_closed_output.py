"""Every command stops quietly when the program reading its output goes away (``target87 … | head``)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

TARGET87 = str(Path(sys.executable).with_name("target87"))


def piped_into_head(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TARGET87_VAR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "target87.settings"}
    env.pop("DATABASE_URL", None)
    command = " ".join([TARGET87, *args]) + " | head -n 1"
    return subprocess.run(["bash", "-o", "pipefail", "-c", command], env=env, capture_output=True, text=True)


@pytest.fixture
def many_votes(tmp_path: Path) -> str:
    lines = ["voter,group,item,value"]
    lines += [
        f"v{voter},g{voter % 3},item {item},{(voter * item) % 5 + 1}" for voter in range(60) for item in range(400)
    ]
    path = tmp_path / "votes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_fast_command_whose_output_is_closed_says_nothing(many_votes, tmp_path):
    done = piped_into_head(["rank", many_votes, "--method", "score"], tmp_path)
    assert done.stdout.startswith("rank,") or done.stdout.count("\n") == 1
    assert done.stderr == ""
    assert done.returncode == 0


def test_a_django_command_whose_output_is_closed_says_nothing(tmp_path):
    done = piped_into_head(["diffsettings", "--all"], tmp_path)
    assert done.stdout.count("\n") == 1
    assert done.stderr == ""
    assert done.returncode == 0
