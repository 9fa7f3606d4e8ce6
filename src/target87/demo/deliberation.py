"""The Bangkok demonstration's contributions and recommendations, made through the deliberation services.

Every breakout group records a few contributions (from participants on their phones, some anonymous, and from
the rapporteur for a stakeholder group); the groups' recommendations are drafted from them, some edited, one
amended on a participant's proposal. The texts are written for the demonstration in the spirit of the
consultation's key questions. Idempotent: a consultation that already has recommendations is left as it is.
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.db import transaction

from target87.deliberation import services
from target87.people.models import Participation

#: per key question: contributions (kind, thematic area, countries, text)
CONTRIBUTIONS = {
    1: [
        (
            "good_practice",
            "child_labour",
            ["KHM"],
            "A child-labour-free zone programme brought ministries, unions and village committees to one table; school enrolment rose within two years.",
        ),
        (
            "challenge",
            "forced_labour",
            ["THA", "MMR"],
            "National action plans exist on paper but ministries report separately and budgets are not pooled.",
        ),
        (
            "proposal",
            "forced_labour",
            [],
            "Cost every national action plan on 8.7 and tie it to the national budget cycle.",
        ),
        (
            "evidence",
            "human_trafficking",
            ["VNM"],
            "Prosecutions doubled after a single inter-ministerial task force replaced three committees.",
        ),
        (
            "challenge",
            "child_labour",
            ["LAO"],
            "Fishing and agriculture are where most working children are, and labour inspection does not reach them.",
        ),
        (
            "proposal",
            "child_labour",
            [],
            "Extend social protection, such as cash transfers tied to schooling, to families in rural work.",
        ),
    ],
    2: [
        (
            "good_practice",
            "forced_labour",
            ["THA"],
            "Tripartite working groups on fishing gave workers' organisations a formal voice in port inspections.",
        ),
        (
            "challenge",
            "modern_slavery",
            [],
            "Companies want one clear due-diligence standard rather than a patchwork of national rules.",
        ),
        ("proposal", "forced_labour", [], "Make the social partners full members of national 8.7 steering committees."),
        (
            "proposal",
            "human_trafficking",
            [],
            "Build referral systems for victims together with survivor-led organisations and fund them.",
        ),
        (
            "evidence",
            "forced_labour",
            ["MYS"],
            "Recruitment fees paid by workers averaged several months of wages in the corridors studied.",
        ),
    ],
    3: [
        (
            "challenge",
            "forced_labour",
            [],
            "There is no regular national survey of forced labour; estimates are modelled from few data points.",
        ),
        (
            "proposal",
            "child_labour",
            [],
            "Add the child labour module to existing household surveys every three to five years.",
        ),
        (
            "good_practice",
            "child_labour",
            ["PHL"],
            "A survey with a child labour module, repeated every few years, lets the country report indicator 8.7.1 with its margin of error.",
        ),
        (
            "proposal",
            "human_trafficking",
            [],
            "Share administrative data on trafficking cases across borders in a common format.",
        ),
        (
            "evidence",
            "child_labour",
            ["IDN"],
            "Administrative school records flagged drop-outs months before surveys could.",
        ),
    ],
    4: [
        (
            "challenge",
            "human_trafficking",
            [],
            "NGO programmes in the same province duplicate each other while other provinces have none.",
        ),
        ("proposal", "modern_slavery", [], "Map who does what where, publicly, and update it every year."),
        (
            "good_practice",
            "human_trafficking",
            ["KHM"],
            "A joint donor–NGO results framework cut reporting burden and showed the gaps.",
        ),
    ],
    5: [
        (
            "evidence",
            None,
            [],
            "Official development assistance for child labour and forced labour is a very small share of labour-market aid.",
        ),
        (
            "proposal",
            None,
            [],
            "Blend public and private finance for responsible recruitment in the main migration corridors.",
        ),
        ("challenge", None, [], "Domestic budgets for labour inspection have not grown with the labour force."),
    ],
}

#: recommendations: (key question, title, text, area, actors, level, timeframe, indexes of its contributions)
RECOMMENDATIONS = [
    (
        1,
        "Costed national action plans",
        "Adopt costed national action plans on target 8.7, tied to the budget cycle and coordinated by one inter-ministerial body.",
        "forced_labour",
        ["governments"],
        "national",
        "immediate",
        [1, 2, 3],
    ),
    (
        1,
        "Social protection for families in rural work",
        "Extend social protection, including cash transfers tied to schooling, to families working in agriculture and fisheries.",
        "child_labour",
        ["governments", "development_partners"],
        "national",
        "medium",
        [4, 5],
    ),
    (
        1,
        "Labour inspection where children work",
        "Give labour inspection the mandate, staff and means to reach agriculture, fisheries and the informal economy.",
        "child_labour",
        ["governments", "social_partners"],
        "national",
        "medium",
        [4],
    ),
    (
        2,
        "Social partners on every steering committee",
        "Make workers' and employers' organisations full members of national 8.7 steering committees.",
        "forced_labour",
        ["governments", "social_partners"],
        "national",
        "immediate",
        [6, 8],
    ),
    (
        2,
        "One regional due-diligence standard",
        "Agree a regional standard for human-rights due diligence in supply chains, with guidance for small firms.",
        "modern_slavery",
        ["governments", "social_partners", "un"],
        "regional",
        "medium",
        [7],
    ),
    (
        2,
        "Survivor-led referral systems",
        "Build and fund victim referral systems together with survivor-led organisations.",
        "human_trafficking",
        ["governments", "ngos", "development_partners"],
        "national",
        "immediate",
        [9],
    ),
    (
        2,
        "End recruitment fees paid by workers",
        "Prohibit recruitment fees charged to workers and enforce the employer-pays principle across corridors.",
        "forced_labour",
        ["governments", "social_partners"],
        "regional",
        "medium",
        [10],
    ),
    (
        3,
        "A child labour module in household surveys",
        "Add the standard child labour module to household surveys every three to five years and publish 8.7.1 with its margin of error.",
        "child_labour",
        ["governments", "un"],
        "national",
        "medium",
        [12, 13],
    ),
    (
        3,
        "A first national forced labour survey",
        "Run a national forced labour survey with ILO methodology before 2020 and repeat it.",
        "forced_labour",
        ["governments", "un", "development_partners"],
        "national",
        "long",
        [11],
    ),
    (
        3,
        "Cross-border data on trafficking cases",
        "Share administrative data on trafficking cases across borders in a common, privacy-respecting format.",
        "human_trafficking",
        ["governments", "un"],
        "regional",
        "medium",
        [14, 15],
    ),
    (
        4,
        "A public map of who does what",
        "Publish and update yearly a map of NGO and development-partner programmes on 8.7, by province.",
        "human_trafficking",
        ["ngos", "development_partners"],
        "regional",
        "immediate",
        [16, 17, 18],
    ),
    (
        5,
        "More aid for ending child and forced labour",
        "Raise the share of development assistance for child labour and forced labour, and blend it with private finance for responsible recruitment.",
        None,
        ["development_partners", "governments"],
        "regional",
        "long",
        [19, 20, 21],
    ),
]


def _participants(consultation) -> list[Participation]:
    return list(
        Participation.objects.filter(consultation=consultation, status="approved", role="participant")
        .select_related("person__organisation", "consultation")
        .order_by("pk")
    )


def _members(consultation, people: list[Participation]) -> dict[int, list[Participation]]:
    """The participants of each breakout session's published group: a participant contributes from their own."""
    from target87.deliberation.groups import groups_of

    members: dict[int, list[Participation]] = {}
    for person in people:
        for own in groups_of(person):
            members.setdefault(own.session.pk, []).append(person)
    return members


@transaction.atomic
def load(*, consultation, stdout=None) -> None:
    from target87.demo.bangkok import CONVENER_USERNAME

    say = stdout.write if stdout else lambda *_: None
    if consultation.recommendations.exists():
        say("Found the contributions and recommendations.\n")
        return
    rng = random.Random(8707)
    convener = get_user_model().objects.get(username=CONVENER_USERNAME)
    people = _participants(consultation)
    members = _members(consultation, people)
    questions = {q.position: q for q in consultation.key_questions.all()}
    breakouts = list(
        consultation.sessions.filter(kind="breakout").prefetch_related("key_questions").order_by("start", "title")
    )
    made = []
    for position, rows in CONTRIBUTIONS.items():
        groups = [s for s in breakouts if [q.position for q in s.key_questions.all()] == [position]] or breakouts
        for n, (kind, area, countries, text) in enumerate(rows):
            session = groups[n % len(groups)]
            if n % 4 == 3:  # the rapporteur captures it for a stakeholder group
                made.append(
                    services.contribution_create(
                        consultation=consultation,
                        actor=convener,
                        key_question=questions[position],
                        session=session,
                        kind=kind,
                        thematic_area=area or "",
                        countries=countries,
                        text=text,
                        stakeholder_group=rng.choice(["workers", "employers", "civil_society", "survivor_led"]),
                    )
                )
            else:
                made.append(
                    services.contribution_create(
                        consultation=consultation,
                        participation=rng.choice(members.get(session.pk) or people),
                        key_question=questions[position],
                        session=session,
                        kind=kind,
                        thematic_area=area or "",
                        countries=countries,
                        text=text,
                        anonymous=n % 3 == 2,
                    )
                )
    recommendations = []
    for position, title, text, area, actors, level, timeframe, sources in RECOMMENDATIONS:
        session = next((s for s in breakouts if s.title.startswith("Breakout") and "recommendations" in s.title), None)
        recommendations.append(
            services.recommendation_create(
                actor=convener,
                consultation=consultation,
                key_question=questions[position],
                session=session,
                title=title,
                text=text,
                thematic_area=area or "",
                actors=actors,
                level=level,
                timeframe=timeframe,
                contributions=[made[i - 1] for i in sources],
            )
        )
    # the plenary's edits and a participant's amendment, accepted by the facilitator
    services.recommendation_update(
        actor=convener,
        recommendation=recommendations[0],
        note="Timeframe agreed in plenary",
        timeframe="immediate",
        title="Costed national action plans on 8.7",
    )
    workers = [p for p in people if p.person.stakeholder_group == "workers"]
    survivors = [p for p in people if p.person.stakeholder_group == "survivor_led"]
    amendment = services.feedback_create(
        participation=workers[0],
        recommendation=recommendations[2],
        kind="amendment",
        text="Inspectors alone cannot reach informal work; unions can.",
        proposed_text="Give labour inspection the mandate, staff and means to reach agriculture, fisheries and the "
        "informal economy, working with workers' organisations that are present there.",
    )
    services.amendment_decide(actor=convener, feedback=amendment, accept=True)
    services.feedback_create(
        participation=survivors[0],
        recommendation=recommendations[5],
        kind="comment",
        text="Survivors must be paid for their time in designing these systems.",
    )
    declined = services.feedback_create(
        participation=rng.choice(people),
        recommendation=recommendations[4],
        kind="amendment",
        text="A standard is too much to ask.",
        proposed_text="Encourage voluntary due diligence in supply chains.",
    )
    services.amendment_decide(actor=convener, feedback=declined, accept=False)
    say(f"Created {len(made)} contributions and {len(recommendations)} recommendations.\n")
