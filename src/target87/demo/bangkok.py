"""The Bangkok sub-regional consultation on SDG target 8.7, 14–15 September 2016, as a demonstration.

The consultation, its key questions (in the words of the consultation's concept note), rooms and
programme follow the public description of the event. The participants are fictional: their names are
invented, their e-mails are at example.org, and each biography says so.

Loading is idempotent: every object is found by its natural key and only created when missing, so
running the loader twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import random
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from target87.consultations.models import Consultation, KeyQuestion, Room, Session, SessionSpeaker
from target87.people.models import Organisation, Participation, Person

SLUG = "bangkok-2016"
TZ = zoneinfo.ZoneInfo("Asia/Bangkok")
CONVENER_USERNAME = "convener"
CONVENER_PASSWORD = "bangkok-8.7-demo"
FICTIONAL = "Fictional participant, invented for the demonstration of Target 8.7."

#: further parts of the demonstration, each a module with ``load(*, consultation, stdout)`` that is idempotent
#: like this one: breakout groups, contributions and recommendations, ballots and results
DEMO_PARTS = ["target87.demo.breakouts", "target87.demo.deliberation", "target87.demo.priorities"]

COUNTRIES = [
    "THA",
    "KHM",
    "LAO",
    "MMR",
    "VNM",
    "MYS",
    "IDN",
    "PHL",
    "SGP",
    "TLS",
    "CHN",
    "MNG",
    "KOR",
    "JPN",
    "PNG",
    "FJI",
    "SLB",
    "VUT",
    "AUS",
    "NZL",
]

KEY_QUESTIONS = [
    (
        1,
        "policy",
        "Policy measures and good practices",
        "What policy measures, programmes, and good practices are currently being implemented or planned to "
        "strengthen and better coordinate efforts and pool resources towards achieving this target?",
        {"fr": "Mesures politiques et bonnes pratiques", "es": "Medidas de política y buenas prácticas"},
    ),
    (
        2,
        "institutions",
        "Frameworks for partnership",
        "What institutional and policy frameworks need to be put in place to encourage effective partnership of "
        "the public sector with the private sector and civil society in managing development and cooperation?",
        {"fr": "Cadres de partenariat", "es": "Marcos de colaboración"},
    ),
    (
        3,
        "monitoring",
        "Systems to track and report progress",
        "What technical systems and tools are required to implement, track, monitor, and report on progress "
        "towards SDG 8.7?",
        {"fr": "Systèmes de suivi et de rapport", "es": "Sistemas de seguimiento e informe"},
    ),
    (
        4,
        "alignment",
        "Aligning NGO and partner action",
        "How to best ensure that wider actions taken by NGO’s, development partners and others are conducive to "
        "achieving target 8.7",
        {"fr": "Aligner l’action des ONG et des partenaires", "es": "Alinear la acción de ONG y socios"},
    ),
    (
        5,
        "finance",
        "Development finance since the SDGs",
        "How has the development finance and cooperation landscape changed since the adoption of the Sustainable "
        "Development Goals?",
        {"fr": "Le financement du développement depuis les ODD", "es": "La financiación del desarrollo desde los ODS"},
    ),
]

ROOMS = [
    ("Plenary Hall", 220, "Step-free access from the main entrance; hearing loop; interpretation booths."),
    ("Meeting Room A", 30, "Step-free; table seating."),
    ("Meeting Room B", 30, "Step-free; table seating."),
    ("Meeting Room C", 30, "Lift access from the ground floor."),
    ("Meeting Room D", 30, "Lift access from the ground floor."),
    ("Lunch Terrace", 160, "Step-free; covered."),
    ("Foyer", 250, "Registration desk and coffee."),
]

ALL_AREAS = ["forced_labour", "modern_slavery", "human_trafficking", "child_labour", "child_soldiers"]


@dataclass
class S:
    """One programme item: day (1 or 2), local start and end, kind, title, focus, room, questions, areas."""

    day: int
    start: str
    end: str
    kind: str
    title: str
    focus: str
    room: str
    questions: tuple[int, ...] = ()
    areas: tuple[str, ...] = ()
    deliberation: int = 0
    speakers: tuple[tuple[str, str], ...] = ()  # (role in session, key of a demo speaker)


PROGRAMME = [
    S(1, "08:30", "09:00", "other", "Registration", "Badges, programme and personal agenda links.", "Foyer"),
    S(
        1,
        "09:00",
        "09:45",
        "plenary",
        "Opening: towards an Alliance 8.7",
        "Why target 8.7 needs a partnership: the Alliance, its launch in New York, and what this consultation should give it.",
        "Plenary Hall",
        (1,),
        tuple(ALL_AREAS),
        10,
        (("chair", "chair"), ("speaker", "opening")),
    ),
    S(
        1,
        "09:45",
        "10:45",
        "expert_panel",
        "Expert panel: what works to end forced labour and child labour",
        "Policy measures, programmes and good practices in the sub-region, and how to pool resources.",
        "Plenary Hall",
        (1,),
        ("forced_labour", "child_labour"),
        20,
        (("moderator", "moderator1"), ("panellist", "panel1"), ("panellist", "panel2"), ("panellist", "panel3")),
    ),
    S(1, "10:45", "11:00", "break", "Coffee break", "", "Foyer"),
    *[
        S(
            1,
            "11:00",
            "12:30",
            "breakout",
            f"Breakout {room[-1]}: {title}",
            focus,
            room,
            (1,),
            areas,
            70,
            (("moderator", f"facilitator{room[-1]}1"),),
        )
        for room, title, focus, areas in [
            (
                "Meeting Room A",
                "coordinating national action plans",
                "Coordination between ministries and pooled funding.",
                ("forced_labour",),
            ),
            (
                "Meeting Room B",
                "child labour in agriculture and fisheries",
                "Programmes that reach children in rural work.",
                ("child_labour",),
            ),
            (
                "Meeting Room C",
                "trafficking and migration corridors",
                "Cross-border cooperation along migration routes.",
                ("human_trafficking",),
            ),
            (
                "Meeting Room D",
                "supply chains and business",
                "Due diligence and remediation in supply chains.",
                ("modern_slavery", "forced_labour"),
            ),
        ]
    ],
    S(
        1,
        "12:30",
        "13:30",
        "lunch_talk",
        "Lunch talk: counting child labour — what household surveys tell us",
        "How indicator 8.7.1 is estimated from survey microdata, and how to read its margin of error.",
        "Lunch Terrace",
        (3,),
        ("child_labour",),
        15,
        (("speaker", "lunch1"),),
    ),
    S(
        1,
        "13:30",
        "14:30",
        "expert_panel",
        "Expert panel: partnerships between government, business and civil society",
        "Institutional and policy frameworks that make public–private–civil society partnership effective.",
        "Plenary Hall",
        (2,),
        tuple(ALL_AREAS),
        20,
        (("moderator", "moderator2"), ("panellist", "panel4"), ("panellist", "panel5"), ("panellist", "panel6")),
    ),
    *[
        S(
            1,
            "14:30",
            "16:00",
            "breakout",
            f"Breakout {room[-1]}: {title}",
            focus,
            room,
            (2,),
            areas,
            75,
            (("moderator", f"facilitator{room[-1]}2"),),
        )
        for room, title, focus, areas in [
            (
                "Meeting Room A",
                "social dialogue and labour inspection",
                "The role of workers' and employers' organisations.",
                ("forced_labour",),
            ),
            (
                "Meeting Room B",
                "survivor-centred services",
                "Referral systems built with survivors' organisations.",
                ("human_trafficking", "modern_slavery"),
            ),
            (
                "Meeting Room C",
                "business partnerships",
                "Frameworks for responsible recruitment and sourcing.",
                ("forced_labour",),
            ),
            (
                "Meeting Room D",
                "children in armed conflict",
                "Prevention of recruitment and reintegration of children.",
                ("child_soldiers", "child_labour"),
            ),
        ]
    ],
    S(1, "16:00", "16:15", "break", "Coffee break", "", "Foyer"),
    S(
        1,
        "16:15",
        "17:15",
        "plenary",
        "Report back from the breakout groups",
        "Rapporteurs present the groups' findings on key questions 1 and 2.",
        "Plenary Hall",
        (1, 2),
        (),
        30,
        (("chair", "chair"),),
    ),
    S(
        2,
        "09:00",
        "09:30",
        "plenary",
        "Day two: where we stand",
        "Summary of the first day and the questions still open.",
        "Plenary Hall",
        (),
        (),
        5,
        (("chair", "chair"),),
    ),
    S(
        2,
        "09:30",
        "10:30",
        "expert_panel",
        "Expert panel: systems to track, monitor and report on 8.7",
        "Data, statistics and administrative systems; indicator 8.7.1; filling the gaps on forced labour and trafficking.",
        "Plenary Hall",
        (3,),
        tuple(ALL_AREAS),
        20,
        (("moderator", "moderator1"), ("panellist", "panel7"), ("panellist", "panel8"), ("panellist", "panel9")),
    ),
    S(2, "10:30", "10:45", "break", "Coffee break", "", "Foyer"),
    *[
        S(
            2,
            "10:45",
            "12:15",
            "breakout",
            f"Breakout {room[-1]}: {title}",
            focus,
            room,
            (q,),
            areas,
            70,
            (("moderator", f"facilitator{room[-1]}1"),),
        )
        for room, title, focus, q, areas in [
            (
                "Meeting Room A",
                "national data systems",
                "Which surveys and registers each country needs.",
                3,
                ("child_labour", "forced_labour"),
            ),
            (
                "Meeting Room B",
                "reporting on progress",
                "A shared way to report progress to the Alliance.",
                3,
                tuple(ALL_AREAS),
            ),
            (
                "Meeting Room C",
                "aligning NGO programmes",
                "Making NGO and donor action add up.",
                4,
                ("human_trafficking",),
            ),
            (
                "Meeting Room D",
                "aligning development partners",
                "Joint programming among development partners.",
                4,
                ("modern_slavery",),
            ),
        ]
    ],
    S(
        2,
        "12:15",
        "13:15",
        "lunch_talk",
        "Lunch talk: survivors' voices in the design of responses",
        "What survivor-led organisations ask of governments and donors.",
        "Lunch Terrace",
        (4,),
        ("human_trafficking", "modern_slavery"),
        15,
        (("speaker", "lunch2"),),
    ),
    S(
        2,
        "13:15",
        "14:15",
        "expert_panel",
        "Expert panel: development finance and cooperation since the SDGs",
        "How financing has changed, and where money for target 8.7 can come from.",
        "Plenary Hall",
        (5,),
        (),
        20,
        (("moderator", "moderator2"), ("panellist", "panel10"), ("panellist", "panel11"), ("panellist", "panel12")),
    ),
    *[
        S(
            2,
            "14:15",
            "15:30",
            "breakout",
            f"Breakout {room[-1]}: recommendations — {title}",
            "Draft the group's recommendations and their priority.",
            room,
            (1, 2, 3, 4, 5),
            (),
            70,
            (("moderator", f"facilitator{room[-1]}2"),),
        )
        for room, title in [
            ("Meeting Room A", "policy"),
            ("Meeting Room B", "partnerships"),
            ("Meeting Room C", "monitoring"),
            ("Meeting Room D", "finance"),
        ]
    ],
    S(2, "15:30", "15:45", "break", "Coffee break", "", "Foyer"),
    S(
        2,
        "15:45",
        "17:00",
        "plenary",
        "Closing plenary: recommendations and prioritisation of action",
        "Recommendations for the Global SDG Alliance launch in New York, the IV Global Conference on Child Labour "
        "in Buenos Aires (2017) and country initiatives.",
        "Plenary Hall",
        (1, 2, 3, 4, 5),
        tuple(ALL_AREAS),
        45,
        (("chair", "chair"), ("speaker", "opening")),
    ),
]

GIVEN = [
    "Anan",
    "Somchai",
    "Malee",
    "Sokha",
    "Dara",
    "Vanna",
    "Bounmy",
    "Khamla",
    "Aung",
    "Hnin",
    "Thu",
    "Minh",
    "Lan",
    "Hoa",
    "Aisyah",
    "Farid",
    "Siti",
    "Budi",
    "Dewi",
    "Maria",
    "Jose",
    "Ana",
    "Rafael",
    "Wei",
    "Li",
    "Mei",
    "Jun",
    "Bolor",
    "Tuya",
    "Ji-woo",
    "Min-jun",
    "Yuki",
    "Haruto",
    "Kila",
    "Mere",
    "Sione",
    "Losana",
    "Tevita",
    "Olivia",
    "Jack",
    "Aroha",
    "Nikau",
    "Ravi",
    "Priya",
    "Joana",
    "Nuno",
    "Lani",
    "Kai",
]
FAMILY = [
    "Srisuk",
    "Chan",
    "Phan",
    "Keomany",
    "Win",
    "Nguyen",
    "Tran",
    "Rahman",
    "Abdullah",
    "Santoso",
    "Wijaya",
    "Reyes",
    "Santos",
    "Cruz",
    "Tan",
    "Lim",
    "Zhang",
    "Wang",
    "Batbayar",
    "Kim",
    "Park",
    "Sato",
    "Suzuki",
    "Kaupa",
    "Tuilagi",
    "Naidu",
    "Vakaloloma",
    "Tupou",
    "Smith",
    "Wilson",
    "Ngata",
    "Soares",
    "Ximenes",
    "Pereira",
]

#: organisation templates by stakeholder group: (name pattern, international?)
ORGANISATIONS = {
    "government": ["Ministry of Labour of {country}", "Ministry of Social Development of {country}"],
    "workers": ["National Trade Union Congress of {country}"],
    "employers": ["Employers' Confederation of {country}"],
    "civil_society": ["Children's Rights Network {country}", "Migrant Workers' Aid {country}"],
    "survivor_led": ["Survivors' Voice {country}"],
    "un_international": [
        "International Labour Organization",
        "UNICEF East Asia and Pacific",
        "International Organization for Migration",
    ],
    "development_partner": ["Development Cooperation Agency of {country}"],
    "academia": ["Institute for Labour Studies, University of {country}"],
    "private_sector": ["Responsible Sourcing Council {country}"],
}
#: how many of the fictional participants come from each group (about 120 in all)
GROUP_SIZES = {
    "government": 26,
    "workers": 14,
    "employers": 14,
    "civil_society": 18,
    "survivor_led": 8,
    "un_international": 14,
    "development_partner": 10,
    "academia": 8,
    "private_sector": 8,
}
SPEAKER_KEYS = (
    ["chair", "opening", "moderator1", "moderator2", "lunch1", "lunch2"]
    + [f"panel{i}" for i in range(1, 13)]
    + [f"facilitator{r}{k}" for r in "ABCD" for k in (1, 2)]
)


def _country_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    return getattr(country, "common_name", None) or country.name


def _people(rng: random.Random) -> list[dict]:
    rows = []
    number = 0
    for group, size in GROUP_SIZES.items():
        for i in range(size):
            number += 1
            country = COUNTRIES[(number * 3) % len(COUNTRIES)]
            pattern = ORGANISATIONS[group][i % len(ORGANISATIONS[group])]
            international = "{country}" not in pattern
            rows.append(
                {
                    "key": f"p{number:03d}",
                    "name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                    "email": f"participant{number:03d}@example.org",
                    "group": group,
                    "country": country,
                    "organisation": pattern.format(country=_country_name(country)),
                    "org_country": "" if international else country,
                    "gender": rng.choice(["woman", "man", "woman", "man", "undisclosed"]),
                    "languages": ["en"]
                    + (["th"] if country == "THA" else [])
                    + (["fr"] if country in ("VUT", "KHM", "LAO") and rng.random() < 0.4 else []),
                }
            )
    return rows


def _roles(people: list[dict]) -> dict[str, tuple[str, str]]:
    """Role and registration status per person key; speakers are chosen deterministically."""
    roles = {p["key"]: ("participant", "approved") for p in people}
    by_group: dict[str, list[str]] = {}
    for p in people:
        by_group.setdefault(p["group"], []).append(p["key"])
    # speakers drawn across groups so that panels are multi-stakeholder
    order = [k for pair in zip(*[by_group[g] for g in GROUP_SIZES], strict=False) for k in pair]
    speakers = {}
    for key, person in zip(SPEAKER_KEYS, order, strict=False):
        speakers[key] = person
        role = (
            "facilitator"
            if key.startswith("facilitator")
            else "speaker"
            if key.startswith(("lunch", "opening"))
            else "panellist"
        )
        roles[person] = (role, "approved")
    rapporteurs = [k for k in order[len(SPEAKER_KEYS) : len(SPEAKER_KEYS) + 8]]
    for key in rapporteurs:
        roles[key] = ("rapporteur", "approved")
    tail = [k for k in order if roles[k] == ("participant", "approved")]
    for key in tail[-5:]:
        roles[key] = ("participant", "requested")
    for key in tail[-8:-5]:
        roles[key] = ("observer", "approved")
    for key in tail[-10:-8]:
        roles[key] = ("participant", "declined")
    return roles, speakers


@transaction.atomic
def load(stdout=None) -> Consultation:
    say = stdout.write if stdout else lambda *_: None
    rng = random.Random(87)
    user_model = get_user_model()
    convener_user = user_model.objects.filter(username=CONVENER_USERNAME).first()
    if convener_user is None:
        convener_user = user_model.objects.create_user(
            username=CONVENER_USERNAME,
            password=CONVENER_PASSWORD,
            email="convener@example.org",
            first_name="Demo",
            last_name="Convener",
            is_staff=True,
        )
    consultation, created = Consultation.objects.get_or_create(
        slug=SLUG,
        defaults=dict(
            title="Sub-regional consultation workshop on achieving SDG target 8.7",
            description=(
                "A sub-regional consultation, convened by the ILO at the United Nations Conference Centre in Bangkok, "
                "inviting stakeholders in East and South-East Asia and the Pacific to discuss the SDG Alliance 8.7: a "
                "partnership to take immediate and effective measures to eradicate forced labour, end modern slavery and "
                "human trafficking and secure the prohibition and elimination of the worst forms of child labour, "
                "including recruitment and use of child soldiers, and by 2025 end child labour in all its forms. Its "
                "recommendations and prioritisation of action feed the launch of the Global SDG Alliance in New York "
                "(September 2016), the IV Global Conference on Child Labour in Buenos Aires (2017) and country initiatives.\n\n"
                "In this demonstration the participants are fictional."
            ),
            convened_by="International Labour Organization (ILO)",
            subregion="East and South-East Asia and the Pacific",
            countries=sorted(COUNTRIES),
            venue="United Nations Conference Centre",
            city="Bangkok",
            country="THA",
            start_date=dt.date(2016, 9, 14),
            end_date=dt.date(2016, 9, 15),
            time_zone="Asia/Bangkok",
            languages=["en"],
            status="published",
            translations={
                "fr": {"title": "Atelier de consultation sous-régionale sur la réalisation de la cible 8.7 des ODD"},
                "es": {"title": "Taller de consulta subregional sobre el logro de la meta 8.7 de los ODS"},
            },
        ),
    )
    say(("Created" if created else "Found") + f" the consultation {SLUG}.\n")

    questions = {}
    for position, lens, short, text, short_tr in KEY_QUESTIONS:
        questions[position], _ = KeyQuestion.objects.get_or_create(
            consultation=consultation,
            position=position,
            defaults=dict(
                lens=lens,
                short_title=short,
                text=text,
                translations={lang: {"short_title": t} for lang, t in short_tr.items()},
            ),
        )
    rooms = {}
    for position, (name, capacity, access) in enumerate(ROOMS):
        rooms[name], _ = Room.objects.get_or_create(
            consultation=consultation,
            name=name,
            defaults=dict(capacity=capacity, accessibility=access, position=position),
        )

    people = _people(rng)
    roles, speakers = _roles(people)
    persons = {}
    for row in people:
        organisation, _ = Organisation.objects.get_or_create(
            name=row["organisation"], country=row["org_country"], defaults={"stakeholder_group": row["group"]}
        )
        persons[row["key"]], _ = Person.objects.get_or_create(
            email=row["email"],
            defaults=dict(
                name=row["name"],
                organisation=organisation,
                country=row["country"],
                gender=row["gender"],
                languages=row["languages"],
                biography=FICTIONAL,
            ),
        )
        role, status = roles[row["key"]]
        Participation.objects.get_or_create(
            consultation=consultation,
            person=persons[row["key"]],
            defaults=dict(
                role=role,
                status=status,
                topic_preferences=[f"q{n}" for n in rng.sample(range(1, 6), 3)],
                dietary_needs=rng.choice(["", "", "", "vegetarian", "halal", "no pork", "vegan"]),
            ),
        )
    convener_person, _ = Person.objects.get_or_create(
        user=convener_user,
        defaults=dict(
            name="Demo Convener",
            email="convener@example.org",
            country="THA",
            biography=FICTIONAL,
            organisation=Organisation.objects.get_or_create(
                name="International Labour Organization", country="", defaults={"stakeholder_group": "un_international"}
            )[0],
        ),
    )
    Participation.objects.get_or_create(
        consultation=consultation, person=convener_person, defaults=dict(role="convener", status="approved")
    )

    if not consultation.sessions.exists():
        for item in PROGRAMME:
            day = consultation.start_date + dt.timedelta(days=item.day - 1)
            start = dt.datetime.combine(day, dt.time.fromisoformat(item.start), tzinfo=TZ)
            end = dt.datetime.combine(day, dt.time.fromisoformat(item.end), tzinfo=TZ)
            session = Session.objects.create(
                consultation=consultation,
                kind=item.kind,
                title=item.title,
                focus=item.focus,
                start=start,
                end=end,
                room=rooms[item.room],
                deliberation_minutes=item.deliberation,
                thematic_areas=list(item.areas),
            )
            session.key_questions.set([questions[q] for q in item.questions])
            for position, (role, key) in enumerate(item.speakers):
                SessionSpeaker.objects.create(
                    session=session, person=persons[speakers[key]], role=role, position=position
                )
        say(f"Created {len(PROGRAMME)} sessions.\n")
    for part in DEMO_PARTS:
        if importlib.util.find_spec(part) is not None:
            importlib.import_module(part).load(consultation=consultation, stdout=stdout)
    say(
        f"{consultation.participations.count()} participants, {consultation.sessions.count()} sessions, "
        f"{consultation.rooms.count()} rooms.\n"
    )
    return consultation
