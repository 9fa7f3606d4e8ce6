"""The Bangkok demonstration's follow-through: actions taken on the recommendations in several countries and in
every status, with their history, money and exchange rates, good practices, a country focal point and an
organisation's representative.

Everything is made through the commitments services, as the convener and the focal points would make it on the
web pages: the history records each change. The actions, amounts and rates are invented for the demonstration
(the rates are round figures, not official ones). Idempotent: a consultation that already has actions is left as
it is (the focal points' accounts are still made if missing).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from target87.commitments import services
from target87.commitments.models import ExchangeRate
from target87.indicators.models import Series
from target87.people.models import Organisation

FOCAL_POINT_USERNAME = "focal-tha"
FOCAL_POINT_PASSWORD = "thailand-8.7-demo"
REPRESENTATIVE_USERNAME = "rep-ntuc-khm"
REPRESENTATIVE_PASSWORD = "cambodia-8.7-demo"
REPRESENTED = "National Trade Union Congress of Cambodia"

ILO = "International Labour Organization"

#: (title, country or "", region, recommendation numbers, areas, lead, partners, funders, start, due, series)
ACTIONS = [
    (
        "Costed national action plan on forced labour, tied to the budget cycle",
        "THA",
        "",
        [1, 2],
        ["forced_labour"],
        ["Ministry of Social Development of Thailand"],
        ["National Trade Union Congress of Thailand", "Survivors' Voice Thailand"],
        [ILO],
        "2017-01-01",
        "2027-12-31",
        [],
    ),
    (
        "Labour inspectors trained to detect forced labour on fishing vessels",
        "THA",
        "",
        [3],
        ["forced_labour", "human_trafficking"],
        ["Ministry of Social Development of Thailand"],
        ["Migrant Workers' Aid Thailand", "Responsible Sourcing Council Thailand"],
        ["Development Cooperation Agency of Thailand"],
        "2017-03-01",
        "2019-12-31",
        [],
    ),
    (
        "Child-labour-free zones extended to three provinces",
        "KHM",
        "",
        [4],
        ["child_labour"],
        ["National Trade Union Congress of Cambodia"],
        ["Ministry of Labour of Cambodia", "Children's Rights Network Cambodia"],
        ["UNICEF East Asia and Pacific"],
        "2017-06-01",
        "2025-06-30",
        ["SL_TLF_CHLDEC"],
    ),
    (
        "National child labour survey with the 2017 statistical standards",
        "KHM",
        "",
        [5],
        ["child_labour"],
        ["Ministry of Labour of Cambodia"],
        ["Institute for Labour Studies, University of Cambodia"],
        [ILO],
        "2018-01-01",
        "2027-06-30",
        ["SL_TLF_CHLDEC", "SL_TLF_CHLDEA"],
    ),
    (
        "Fair recruitment: zero recruitment fees for migrant workers",
        "MMR",
        "",
        [6],
        ["forced_labour", "human_trafficking"],
        ["Ministry of Labour of Myanmar"],
        ["Employers' Confederation of Myanmar"],
        ["International Organization for Migration"],
        "2018-01-01",
        "2026-12-31",
        [],
    ),
    (
        "Survivor-led advisory council for victim services",
        "PHL",
        "",
        [7],
        ["human_trafficking", "modern_slavery"],
        ["Ministry of Labour of Philippines"],
        ["Children's Rights Network Philippines"],
        [],
        "2017-09-01",
        "2020-12-31",
        [],
    ),
    (
        "Supply-chain due-diligence guidance for garment exporters",
        "VNM",
        "",
        [8],
        ["child_labour", "forced_labour"],
        ["Employers' Confederation of Vietnam"],
        ["National Trade Union Congress of Vietnam"],
        [],
        "2019-01-01",
        "2022-12-31",
        [],
    ),
    (
        "Sub-regional reporting on 8.7 with common indicators",
        "",
        "South-East Asia and the Pacific",
        [9, 10],
        ["child_labour", "forced_labour", "human_trafficking", "modern_slavery"],
        [ILO],
        ["UNICEF East Asia and Pacific", "International Organization for Migration"],
        ["Development Cooperation Agency of South Korea"],
        "2018-01-01",
        "2030-12-31",
        [],
    ),
]

#: what happens to each action after it is made: (status, progress, note, evidence link or "")
STORY = {
    0: [
        ("in_progress", 20, "The plan's costing was presented to the budget bureau.", ""),
        (
            "in_progress",
            45,
            "The 2020 budget includes a line for the plan.",
            "https://example.org/demo/tha-budget-2020",
        ),
    ],
    1: [
        ("in_progress", 50, "Two hundred inspectors trained in the first year.", ""),
        ("completed", 100, "All coastal provinces covered.", "https://example.org/demo/tha-inspection-report"),
    ],
    2: [
        ("in_progress", 30, "Two provinces declared child-labour-free zones.", ""),
        ("delayed", 55, "The third province waits for its local budget.", ""),
    ],
    3: [("in_progress", 35, "Questionnaire tested in the field.", "")],
    4: [("planned", 0, "A fee-free recruitment pilot is being designed.", "")],
    5: [
        ("in_progress", 40, "The council met for the first time.", ""),
        ("dropped", 40, "Merged into the national referral mechanism's board.", ""),
    ],
    6: [
        ("in_progress", 60, "Guidance drafted with the buyers' forum.", ""),
        ("completed", 100, "Guidance published and used by 120 exporters.", "https://example.org/demo/vnm-guidance"),
    ],
    7: [("in_progress", 25, "First common report drafted.", "")],
}

#: (action index, year, kind, amount, currency, source type)
MONEY = [
    (0, 2018, "committed", "45000000", "THB", "domestic"),
    (0, 2019, "spent", "12500000", "THB", "domestic"),
    (0, 2018, "committed", "250000", "USD", "oda_grant"),
    (1, 2017, "committed", "400000", "USD", "oda_grant"),
    (1, 2018, "spent", "380000", "USD", "oda_grant"),
    (2, 2018, "committed", "2000000000", "KHR", "domestic"),
    (2, 2019, "committed", "300000", "USD", "philanthropic"),
    (2, 2020, "spent", "150000", "USD", "philanthropic"),
    (3, 2018, "committed", "500000", "USD", "oda_grant"),
    (3, 2019, "committed", "1200000", "USD", "oda_loan"),
    (4, 2019, "committed", "150000", "EUR", "private"),
    (6, 2019, "committed", "80000", "USD", "private"),
    (6, 2020, "spent", "76000", "USD", "private"),
    (7, 2018, "committed", "900000", "USD", "oda_grant"),
    (7, 2021, "spent", "310000", "EUR", "oda_grant"),
]

#: units for one US dollar, round figures for the demonstration
RATES = [
    ("THB", "2017-01-01", "35"),
    ("THB", "2020-01-01", "31"),
    ("KHR", "2017-01-01", "4050"),
    ("EUR", "2017-01-01", "0.94"),
    ("EUR", "2020-01-01", "0.89"),
]

PRACTICES = [
    (
        "Child-labour-free zones",
        "Ministries, unions and village committees at one table; every child of the zone at school.",
        "KHM",
        "child_labour",
        ["Ministry of Labour of Cambodia", "National Trade Union Congress of Cambodia"],
    ),
    (
        "Port-in, port-out inspections of fishing vessels",
        "Joint inspection teams with interpreters check crews on arrival and departure.",
        "THA",
        "forced_labour",
        ["Ministry of Social Development of Thailand", "Migrant Workers' Aid Thailand"],
    ),
    (
        "Employer-pays recruitment pledge",
        "Employers commit to pay every recruitment fee and cost, audited each year.",
        "MMR",
        "forced_labour",
        ["Employers' Confederation of Myanmar"],
    ),
]


def _account(username: str, password: str, first: str, last: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(
            username=username, password=password, email=f"{username}@example.org", first_name=first, last_name=last
        )
    return user


def _organisations() -> dict[str, Organisation]:
    return {o.name: o for o in Organisation.objects.all()}


def _actions(convener, consultation, orgs) -> list:
    recs = {r.number: r for r in consultation.recommendations.all()}
    series = {s.code: s for s in Series.objects.all()}
    made = []
    for title, country, region, numbers, areas, lead, partners, funders, start, due, codes in ACTIONS:
        parts = [(orgs[n], "lead") for n in lead if n in orgs]
        parts += [(orgs[n], "partner") for n in partners if n in orgs]
        parts += [(orgs[n], "funder") for n in funders if n in orgs]
        made.append(
            services.action_create(
                actor=convener,
                consultation=consultation,
                title=title,
                description="",
                country=country,
                region=region,
                recommendations=[recs[n] for n in numbers if n in recs] or list(recs.values())[:1],
                thematic_areas=areas,
                partners=parts,
                start_date=dt.date.fromisoformat(start),
                due_date=dt.date.fromisoformat(due),
                indicators=[series[c] for c in codes if c in series],
                note="Pledged at the consultation's follow-up meeting.",
            )
        )
    return made


def _history(actor_for, actions) -> None:
    for index, steps in STORY.items():
        for status, progress, note, link in steps:
            services.action_update(
                actor=actor_for(actions[index]),
                action=actions[index],
                status=status,
                progress=progress,
                note=note,
                evidence=[{"url": link, "label": "Report"}] if link else [],
            )


@transaction.atomic
def load(*, consultation, stdout=None) -> None:
    from target87.demo.bangkok import CONVENER_USERNAME

    say = stdout.write if stdout else lambda *_: None
    convener = get_user_model().objects.get(username=CONVENER_USERNAME)
    orgs = _organisations()
    focal = _account(FOCAL_POINT_USERNAME, FOCAL_POINT_PASSWORD, "Demo", "Focal Point Thailand")
    representative = _account(REPRESENTATIVE_USERNAME, REPRESENTATIVE_PASSWORD, "Demo", "Representative Cambodia")
    services.focal_point_add(actor=convener, consultation=consultation, user=focal, country="THA")
    if REPRESENTED in orgs:
        services.focal_point_add(
            actor=convener, consultation=consultation, user=representative, organisation=orgs[REPRESENTED]
        )
    if consultation.actions.exists():
        say("Found the actions and commitments.\n")
    elif not consultation.recommendations.exists():
        say("No recommendations: no actions made.\n")
    else:
        _follow_through(convener, consultation, orgs, focal, representative, say)
    say(f"Demo focal point for Thailand: user “{FOCAL_POINT_USERNAME}”, password “{FOCAL_POINT_PASSWORD}”.\n")
    say(
        f"Demo representative of {REPRESENTED}: user “{REPRESENTATIVE_USERNAME}”, "
        f"password “{REPRESENTATIVE_PASSWORD}”.\n"
    )


def _follow_through(convener, consultation, orgs, focal, representative, say) -> None:
    for currency, day, rate in RATES:
        if not ExchangeRate.objects.filter(currency=currency, valid_from=day).exists():
            services.rate_set(actor=convener, currency=currency, valid_from=day, per_usd=rate, source="Demonstration")
    actions = _actions(convener, consultation, orgs)

    def actor_for(action):
        if action.country == "THA":
            return focal
        if REPRESENTED in orgs and orgs[REPRESENTED].pk in action.lead_ids():
            return representative
        return convener

    _history(actor_for, actions)
    for index, year, kind, amount, currency, source in MONEY:
        services.money_add(
            actor=convener,
            action=actions[index],
            year=year,
            kind=kind,
            amount=amount,
            currency=currency,
            source_type=source,
        )
    cited = list(consultation.contributions.filter(kind="good_practice"))
    for n, (title, text, country, area, actors) in enumerate(PRACTICES):
        services.good_practice_save(
            actor=convener,
            consultation=consultation,
            title=title,
            description=text,
            country=country,
            thematic_area=area,
            evidence="",
            organisations=[orgs[a] for a in actors if a in orgs],
            contributions=cited[n : n + 1],
        )
    say(f"Created {len(actions)} actions with their history and money, and {len(PRACTICES)} good practices.\n")
