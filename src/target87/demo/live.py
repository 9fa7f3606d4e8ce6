"""The Bangkok demonstration's live sessions: audience questions in both lunch talks and in the expert panels,
asked in the three languages and upvoted by the room, some answered with a note, one merged into the question it
repeats, one hidden; the panels' clocks kept, so the convener sees the time used beside the time planned.

Everything goes through the live services, with the moments of the programme (a question asked ten minutes into
its session). The lunch talks' clocks are left to be started, so the room may still ask there. Idempotent: a
session that already has questions is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from target87.live import services
from target87.live.models import Question
from target87.people.models import Participation

#: per session (by the start of its title): questions as (language, text, answer note or "", upvotes)
QUESTIONS = {
    "Lunch talk: counting child labour": [
        (
            "en",
            "How do household surveys reach children who work away from home, in domestic work or on boats?",
            "Through the household they come from: a roster of absent members, and dedicated modules for domestic "
            "work.",
            38,
        ),
        (
            "fr",
            "Les estimations nationales sont-elles comparables d'un pays à l'autre de la sous-région ?",
            "Oui si elles suivent les définitions de la 20e CIST ; les anciennes enquêtes doivent être recalculées.",
            27,
        ),
        ("es", "¿Con qué frecuencia deberían repetirse las encuestas para seguir el avance hacia 2025?", "", 19),
        ("en", "Can administrative data from labour inspection complement the surveys?", "", 11),
        ("en", "What does it cost to add a child labour module to a labour force survey?", "", 6),
    ],
    "Lunch talk: survivors' voices": [
        (
            "en",
            "How can survivors take part in monitoring without being exposed again?",
            "Survivor-led organisations choose who speaks and how; nothing is published without consent.",
            41,
        ),
        ("es", "¿Qué apoyo reciben las organizaciones de sobrevivientes para participar en las consultas?", "", 22),
        (
            "fr",
            "Comment éviter que les témoignages soient utilisés sans retour vers les personnes concernées ?",
            "",
            14,
        ),
        ("en", "Are there examples of survivors sitting on national anti-trafficking committees?", "", 9),
    ],
    "Expert panel: what works": [
        (
            "en",
            "Which programmes have reduced child labour in agriculture at scale, and what did they cost?",
            "Cash transfers tied to schooling, with inspection in the supply chain; costs vary by country.",
            33,
        ),
        ("fr", "Comment financer les plans d'action nationaux quand les budgets sociaux baissent ?", "", 17),
        ("en", "What works against debt bondage in brick kilns?", "", 12),
    ],
    "Expert panel: partnerships": [
        ("en", "How do we keep business partnerships accountable when audits miss forced labour?", "", 29),
        (
            "es",
            "¿Cómo pueden los sindicatos participar en las alianzas con empresas?",
            "Through framework agreements that name them, with a grievance channel they run.",
            21,
        ),
        ("en", "What role for employers' organisations in remediation?", "", 8),
    ],
    "Expert panel: systems to track": [
        (
            "en",
            "Which indicators should every country report on each year for target 8.7?",
            "Indicator 8.7.1 from household surveys, with its margin of error, and the victims identified each year.",
            35,
        ),
        ("fr", "Comment partager les données entre ministères sans exposer les victimes ?", "", 16),
    ],
    "Expert panel: development finance": [
        (
            "en",
            "How much official development assistance goes to 8.7 today, and how is it tracked?",
            "Under 0.5 % of aid by the OECD's codes; tracking needs a marker of its own.",
            24,
        ),
        ("es", "¿Cómo evitar que los fondos se dupliquen entre donantes?", "", 10),
    ],
}
#: a question asked again in other words (merged into the first of its session) and one off topic (hidden)
DUPLICATE = (
    "Lunch talk: counting child labour",
    "en",
    "Do the surveys count children working as domestic workers in other households?",
)
OFF_TOPIC = ("Expert panel: partnerships", "en", "Where is the dinner tonight?")


def _sessions(consultation) -> dict:
    found = {}
    for session in consultation.sessions.all():
        for start in QUESTIONS:
            if session.title.startswith(start):
                found[start] = session
    return found


def load(*, consultation, stdout=None) -> None:
    from target87.demo.bangkok import CONVENER_USERNAME

    say = stdout.write if stdout else lambda *_: None
    convener = get_user_model().objects.get(username=CONVENER_USERNAME)
    people = list(
        Participation.objects.filter(consultation=consultation, status="approved", role="participant").order_by("pk")
    )
    rng = random.Random(87)
    asked = 0
    for start, session in _sessions(consultation).items():
        if Question.objects.filter(session=session).exists():
            continue
        authors = iter(rng.sample(people, len(QUESTIONS[start]) + 2))
        made = []
        for n, (language, text, note, votes) in enumerate(QUESTIONS[start]):
            moment = session.start + dt.timedelta(minutes=5 + 2 * n)
            question = services.question_ask(
                participant=next(authors),
                session=session,
                text=text,
                language=language,
                anonymous=n % 3 == 2,
                now=moment,
            )
            question = services.question_approve(actor=convener, question=question, version=question.version)
            for voter in rng.sample(people, votes):
                services.upvote(participant=voter, question_id=question.pk, now=moment)
            if note:
                services.question_answer(actor=convener, question=question, version=question.version, note=note)
            made.append(question)
            asked += 1
        for (where, language, text), action in ((DUPLICATE, "merge"), (OFF_TOPIC, "hide")):
            if where != start:
                continue
            extra = services.question_ask(
                participant=next(authors),
                session=session,
                text=text,
                language=language,
                now=session.start + dt.timedelta(minutes=20),
            )
            if action == "merge":
                services.question_merge(actor=convener, question=extra, version=extra.version, into=made[0].pk)
            else:
                services.question_hide(
                    actor=convener, question=extra, version=extra.version, reason="Not a question to the panel."
                )
            asked += 1
        if session.kind == "expert_panel":
            begun = session.start + dt.timedelta(minutes=session.duration_minutes - session.deliberation_minutes)
            services.clock_act(actor=convener, session=session, action="start", now=begun)
            services.clock_act(
                actor=convener,
                session=session,
                action="end",
                now=begun + dt.timedelta(minutes=session.deliberation_minutes + rng.choice([-4, -1, 2, 6])),
            )
    if asked:
        say(f"Live sessions: {asked} audience questions in the lunch talks and the expert panels.\n")
