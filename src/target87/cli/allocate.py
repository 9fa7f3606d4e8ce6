"""``target87 allocate``: balanced multi-stakeholder breakout groups from CSV files.

Usage::

    target87 allocate PARTICIPANTS.csv (--groups N | --topics TOPICS.csv) --out ASSIGNMENTS.csv
        [--rounds K] [--capacity C] [--time-limit S] [--seed S] [--workers W] [--parallel]
        [--apart PAIRS.csv] [--together PAIRS.csv] [--previous ASSIGNMENTS.csv] [--lock GROUP …]
        [--weight NAME=VALUE …] [--json]

PARTICIPANTS.csv: ``participant_id``, ``stakeholder_group``, ``country``, ``gender``; optional
``languages`` (``;``-separated), ``pref1``, ``pref2``, ``pref3`` (topics or group ids), ``facilitator``
(yes/no, 1/0, true/false).

TOPICS.csv: ``group_id``, ``topic``, ``capacity``; optional ``language``, ``facilitator_id`` and
``round`` (the group meets only in that round; empty: in every round). Without ``--topics``,
``--groups N`` makes N groups without topics, seating ``--capacity`` (default: an equal share).

PAIRS.csv (``--apart``: never in one group, e.g. same organisation; ``--together``: always in one group,
e.g. a delegate and their interpreter): a header row, then two participant ids per row.

``--previous ASSIGNMENTS.csv`` (the output format: ``participant_id``, ``round``, ``group``) re-allocates
with the fewest moves after people join or leave; ``--lock GROUP`` (repeatable) keeps that group's
previous members exactly.

The output CSV has ``participant_id``, ``round``, ``group``. The summary goes to the terminal (``--json``:
as JSON on stdout); progress goes to stderr. Exit status 2 for bad input or requests that cannot be met.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from dataclasses import fields
from pathlib import Path

from target87.engines import tabular
from target87.engines.i18n import gettext as _


class InputError(Exception):
    pass


#: the seeds the solver takes (a 32-bit signed integer, not negative)
MAX_SEED = 2**31 - 1
#: the longest --time-limit, in seconds
MAX_TIME_LIMIT = 3600.0
MAX_WORKERS = 64
#: the most groups, rounds and seats per group asked for (the web page takes at most 500 groups)
MAX_GROUPS = 500
MAX_ROUNDS = 20
MAX_CAPACITY = 10_000

TRUE = {"1", "yes", "y", "true", "x", "oui", "sí", "si"}
FALSE = {"", "0", "no", "n", "false", "non"}


def _read_csv(path: str, required: list[str], label: str) -> list[dict[str, str]]:
    try:
        rows = tabular.read_rows(tabular.read_text(path), Path(path).name)
    except FileNotFoundError:
        raise InputError(_("{label} file {path} does not exist.").format(label=label, path=path)) from None
    except OSError as exc:
        raise InputError(
            _("Cannot read {label} file {path}: {error}").format(label=label, path=path, error=exc)
        ) from None
    except tabular.TableError as exc:
        raise InputError(exc.message) from None
    if not rows:
        raise InputError(_("{label} file {path} is empty.").format(label=label, path=path))
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            _("{label} file {path} lacks the columns {missing}; it has {present}.").format(
                label=label, path=path, missing=", ".join(missing), present=", ".join(h for h in header if h) or "—"
            )
        )
    out = []
    for r in rows[1:]:
        out.append({h: (r[k].strip() if k < len(r) else "") for k, h in enumerate(header) if h})
    if not out:
        raise InputError(_("{label} file {path} has a header but no rows.").format(label=label, path=path))
    return out


def _stakeholder(value: str) -> str:
    return "_".join(value.strip().lower().replace("-", " ").replace("'", "").split())


def read_participants(path: str):
    from target87.engines.allocation import Participant

    rows = _read_csv(path, ["participant_id", "stakeholder_group", "country", "gender"], _("Participants"))
    people = []
    for line, row in enumerate(rows, start=2):
        flag = row.get("facilitator", "").strip().lower()
        if flag not in TRUE | FALSE:
            raise InputError(
                _("{path}, line {line}: facilitator must be yes or no, not {value!r}.").format(
                    path=path, line=line, value=row.get("facilitator")
                )
            )
        if not row["participant_id"]:
            raise InputError(_("{path}, line {line}: the participant_id is empty.").format(path=path, line=line))
        langs = frozenset(x.strip() for x in row.get("languages", "").replace(",", ";").split(";") if x.strip())
        prefs = tuple(row[k] for k in ("pref1", "pref2", "pref3") if row.get(k))
        people.append(
            Participant(
                id=row["participant_id"],
                stakeholder_group=_stakeholder(row["stakeholder_group"]),
                country=row["country"],
                gender=row["gender"],
                languages=langs,
                preferences=prefs,
                facilitator=flag in TRUE,
            )
        )
    return people


def _int(value: str, path: str, line: int, column: str, minimum: int = 1, maximum: int | None = None) -> int:
    maximum = maximum or {"capacity": MAX_CAPACITY, "round": MAX_ROUNDS}.get(column, MAX_CAPACITY)
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not minimum <= number <= maximum:
        raise InputError(
            _(
                "{path}, line {line}: {column} must be a whole number from {minimum} to {maximum}, not {value!r}."
            ).format(path=path, line=line, column=column, minimum=minimum, maximum=f"{maximum:,}", value=value[:40])
        )
    return number


def read_topics(path: str):
    from target87.engines.allocation import Group

    rows = _read_csv(path, ["group_id", "topic", "capacity"], _("Topics"))
    groups = []
    for line, row in enumerate(rows, start=2):
        if not row["group_id"]:
            raise InputError(_("{path}, line {line}: the group_id is empty.").format(path=path, line=line))
        rnd = row.get("round", "")
        groups.append(
            Group(
                id=row["group_id"],
                topic=row["topic"],
                capacity=_int(row["capacity"], path, line, "capacity"),
                language=row.get("language", ""),
                facilitator_id=row.get("facilitator_id", ""),
                round=_int(rnd, path, line, "round") if rnd else None,
            )
        )
    return groups


def read_pairs(path: str, label: str) -> list[tuple[str, str]]:
    p = Path(path)
    rows = _read_csv(path, [], label)
    pairs = []
    for line, row in enumerate(rows, start=2):
        values = [v for v in row.values() if v]
        if len(values) != 2:
            raise InputError(
                _("{path}, line {line}: a pair needs exactly two participant ids.").format(path=p, line=line)
            )
        pairs.append((values[0], values[1]))
    return pairs


def read_previous(path: str) -> dict[tuple[str, int], str]:
    rows = _read_csv(path, ["participant_id", "round", "group"], _("Previous allocation"))
    return {(r["participant_id"], _int(r["round"], path, k, "round")): r["group"] for k, r in enumerate(rows, 2)}


def parse_weights(items: list[str]):
    from target87.engines.allocation import Weights

    names = [f.name for f in fields(Weights)]
    values = {}
    for item in items:
        name, _sep, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if name not in names or not value.strip().lstrip("-").isdecimal():
            raise InputError(
                _("--weight takes NAME=WHOLE_NUMBER with NAME one of: {names}; not {item!r}.").format(
                    names=", ".join(names), item=item
                )
            )
        values[name] = int(value)
    return Weights(**values)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="target87 allocate",
        description=_("Allocate participants to balanced multi-stakeholder breakout groups."),
    )
    ap.add_argument("participants", metavar="PARTICIPANTS.csv")
    ap.add_argument("--groups", type=int, metavar="N", help=_("number of groups (without --topics)"))
    ap.add_argument("--topics", metavar="TOPICS.csv", help=_("groups with topic, capacity, language, facilitator"))
    ap.add_argument("--capacity", type=int, metavar="C", help=_("seats per group with --groups (default: equal share)"))
    ap.add_argument("--rounds", type=int, default=1, metavar="K")
    ap.add_argument("--time-limit", type=float, default=10.0, metavar="S", help=_("seconds (default 10)"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2, help=_("solver threads with --parallel"))
    ap.add_argument("--parallel", action="store_true", help=_("parallel solver: faster, not reproducible"))
    ap.add_argument("--apart", metavar="PAIRS.csv", help=_("pairs never in the same group"))
    ap.add_argument("--together", metavar="PAIRS.csv", help=_("pairs always in the same group"))
    ap.add_argument("--previous", metavar="ASSIGNMENTS.csv", help=_("previous allocation: fewest moves from it"))
    ap.add_argument("--lock", action="append", default=[], metavar="GROUP", help=_("keep this group's members"))
    ap.add_argument("--weight", action="append", default=[], metavar="NAME=VALUE", help=_("change an objective weight"))
    ap.add_argument("--out", required=True, metavar="ASSIGNMENTS.csv")
    ap.add_argument("--json", action="store_true", help=_("print the summary as JSON"))
    return ap


def check_options(args) -> None:
    """Numbers the solver cannot take are refused with what it takes."""
    if not 0 <= args.seed <= MAX_SEED:
        raise InputError(
            _("--seed must be a whole number from 0 to {limit}, not {seed}.").format(limit=MAX_SEED, seed=args.seed)
        )
    if not 0 < args.time_limit <= MAX_TIME_LIMIT:  # also refuses nan
        raise InputError(
            _("--time-limit must be a number of seconds above 0 and at most {limit:g}.").format(limit=MAX_TIME_LIMIT)
        )
    if not 1 <= args.workers <= MAX_WORKERS:
        raise InputError(_("--workers must be from 1 to {limit}.").format(limit=MAX_WORKERS))
    for option, value, limit in (
        ("--groups", args.groups, MAX_GROUPS),
        ("--rounds", args.rounds, MAX_ROUNDS),
        ("--capacity", args.capacity, MAX_CAPACITY),
    ):
        if value is not None and not 1 <= value <= limit:
            raise InputError(
                _("{option} must be a whole number from 1 to {limit}, not {value}.").format(
                    option=option, limit=f"{limit:,}", value=value
                )
            )


def build_problem(args):
    from target87.engines.allocation import Group, Problem

    people = read_participants(args.participants)
    if args.topics:
        groups = read_topics(args.topics)
        if args.groups is not None and args.groups != len({g.id for g in groups}):
            raise InputError(
                _("--groups {n} does not match the {count} groups in {path}.").format(
                    n=args.groups, count=len({g.id for g in groups}), path=args.topics
                )
            )
    else:
        if args.groups is None:
            raise InputError(_("Say how many groups with --groups N, or list them with --topics TOPICS.csv."))
        if args.groups < 1:
            raise InputError(_("--groups must be at least 1, not {n}.").format(n=args.groups))
        capacity = args.capacity or math.ceil(len(people) / args.groups)
        if capacity < 1:
            raise InputError(_("--capacity must be at least 1."))
        groups = [Group(id=f"G{k + 1:0{len(str(args.groups))}d}", capacity=capacity) for k in range(args.groups)]
    return Problem(
        participants=people,
        groups=groups,
        rounds=args.rounds,
        keep_apart=read_pairs(args.apart, _("Keep-apart pairs")) if args.apart else (),
        keep_together=read_pairs(args.together, _("Keep-together pairs")) if args.together else (),
        previous=read_previous(args.previous) if args.previous else {},
        locked=frozenset(args.lock),
        weights=parse_weights(args.weight),
    )


def write_assignments(path: str, allocation) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["participant_id", "round", "group"])
        for a in allocation.assignments:
            w.writerow([a.participant_id, a.round, a.group_id])


def summary_dict(allocation, out: str) -> dict:
    data = allocation.to_dict()
    data.pop("assignments")
    data["assignments_file"] = out
    return data


def print_summary(console, allocation) -> None:
    from rich.markup import escape
    from rich.table import Table

    from target87.engines.allocation import STAKEHOLDER_GROUPS

    a = allocation
    status = _("optimal") if a.status == "optimal" else _("feasible")
    console.print(
        _(
            "[bold]Allocation {status}[/bold] — objective {objective}, best bound {bound}, gap {gap:.2%}, {seconds:.1f} s"
        ).format(status=status, objective=a.objective, bound=a.best_bound, gap=a.gap, seconds=a.seconds)
    )
    console.print(_("[dim]{settings}[/dim]").format(settings=a.solver_settings))
    letter = {
        "government": "g",
        "workers": "w",
        "employers": "e",
        "civil_society": "c",
        "survivor_led": "s",
        "un_international": "u",
        "development_partner": "d",
        "academia": "a",
        "private_sector": "p",
    }
    for r in sorted({g.round for g in a.groups}):
        t = Table(title=_("Round {round}").format(round=r))
        t.add_column(_("group"), no_wrap=True)
        t.add_column(_("topic"), max_width=24, no_wrap=True, overflow="ellipsis")
        t.add_column(_("lang"))
        t.add_column(_("size"), justify="right")
        t.add_column(_("stakeholders"), no_wrap=True)
        t.add_column(_("countries"), justify="right")
        t.add_column(_("gender"), no_wrap=True)
        t.add_column(_("tripartite"), no_wrap=True)
        t.add_column(_("off"), justify="right")
        for g in (g for g in a.groups if g.round == r):
            tri = "✓" if not g.tripartite_missing else "−" + "".join(letter[c] for c in g.tripartite_missing)
            mix = " ".join(f"{letter[s]}{g.stakeholders[s]}" for s in STAKEHOLDER_GROUPS if g.stakeholders.get(s))
            t.add_row(
                escape(g.group_id) + (" 🔒" if g.locked else ""),
                escape(g.topic),
                escape(g.language),
                f"{g.size}/{g.capacity}",
                mix,
                str(len(g.countries)),
                " ".join(f"{escape(k[:1])}{v}" for k, v in g.genders.items()),
                tri,
                str(g.balance_shortfall or ""),
            )
        console.print(t)
    console.print(
        _(
            "[dim]stakeholders: g government, w workers, e employers, c civil society, s survivor-led, u UN and "
            "international, d development partners, a academia, p private sector; off: people outside the "
            "balance ranges[/dim]"
        )
    )
    tri = a.tripartite
    console.print(
        _("Tripartite coverage: {complete}/{groups} groups have government, workers and employers.").format(
            complete=tri["groups_complete"], groups=tri["groups"]
        )
    )
    p = a.preferences
    if any(p.values()):
        console.print(
            _("Preferences: first choice {first:.0%}, second {second:.0%}, third {third:.0%}, none {none:.0%}.").format(
                **p
            )
        )
    console.print(
        _(
            "Off balance (people outside the floor–ceiling ranges): stakeholder {stakeholder}, country {country}, gender {gender}."
        ).format(**a.balance)
    )
    if len(a.rounds) > 1:
        console.print(
            _("Pairs meeting again: {pairs}; people given a topic twice: {topics}.").format(
                pairs=a.repeated_pairs, topics=a.topic_repeats
            )
        )
    if a.moves:
        console.print(_("Moves from the previous allocation: {moves}.").format(moves=a.moves))
    for note in a.notes:
        console.print(f"[yellow]•[/yellow] {escape(note)}")


def main(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its message
        return int(exc.code or 0)
    from rich.console import Console
    from rich.markup import escape

    err = Console(stderr=True)
    try:
        from target87.engines.allocation import AllocationError, Options, allocate

        check_options(args)
        problem = build_problem(args)
        options = Options(
            time_limit=args.time_limit,
            seed=args.seed,
            workers=args.workers,
            reproducible=not args.parallel,
        )
        status = err.status(_("Allocating …")) if err.is_terminal else None
        if status:
            status.start()

        def progress(p):
            if status:
                text = _("Round {round}/{rounds} · {phase}").format(round=p.round, rounds=p.rounds, phase=p.phase)
                if p.objective is not None:
                    text += _(" · objective {objective:.0f}").format(objective=p.objective)
                if p.bound is not None:
                    text += _(" · bound {bound:.0f}").format(bound=p.bound)
                status.update(text + f" · {p.elapsed:.1f} s")
            elif p.phase in ("check", "done"):
                err.print(_("allocate: {phase} ({elapsed:.1f} s)").format(phase=p.phase, elapsed=p.elapsed))
            return None

        try:
            allocation = allocate(problem, options, progress)
        finally:
            if status:
                status.stop()
        write_assignments(args.out, allocation)
    except (InputError, AllocationError) as exc:
        err.print(_("[red]Error:[/red] {message}").format(message=escape(str(exc))), highlight=False)
        return 2
    except OSError as exc:
        err.print(
            _("[red]Error:[/red] cannot write {path}: {error}").format(path=escape(args.out), error=escape(str(exc))),
            highlight=False,
        )
        return 2
    if args.json:
        sys.stdout.write(json.dumps(summary_dict(allocation, args.out), ensure_ascii=False, indent=2) + "\n")
    else:
        console = Console()
        if not console.is_terminal:
            console = Console(width=120)
        print_summary(console, allocation)
    return 0
