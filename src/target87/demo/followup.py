"""The Bangkok demonstration's key messages and the follow-up edition of its outcome report.

The rapporteur's key messages under each key question (invented for the demonstration, with French and Spanish
translations), then a new edition of the outcome report that carries them and a follow-up edition that tells
what has happened since each recommendation and which priorities no action answers yet; both published. Run it
after the follow-through part (``target87.demo.commitments``): the follow-up edition reads its actions.
Idempotent: key messages are written only when the consultation has none, and the two editions are built only
when the consultation has no follow-up edition yet.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from target87.reports import services
from target87.reports.enums import EditionKind
from target87.reports.models import Edition, KeyMessage

#: key question position → key messages, each as (English, French, Spanish)
KEY_MESSAGES = {
    1: [
        (
            "National action plans on 8.7 work when they are costed and tied to the budget cycle.",
            "Les plans d'action nationaux sur la cible 8.7 fonctionnent quand ils sont chiffrés et liés au cycle "
            "budgétaire.",
            "Los planes de acción nacionales sobre la meta 8.7 funcionan cuando tienen costes y están ligados al "
            "ciclo presupuestario.",
        ),
        (
            "Good practices travel: the sub-region should share what worked in fishing, agriculture and domestic work.",
            "Les bonnes pratiques se transmettent : la sous-région doit partager ce qui a marché dans la pêche, "
            "l'agriculture et le travail domestique.",
            "Las buenas prácticas se transmiten: la subregión debe compartir lo que funcionó en la pesca, la "
            "agricultura y el trabajo doméstico.",
        ),
    ],
    2: [
        (
            "Workers' and employers' organisations sit as full members of every national steering committee.",
            "Les organisations de travailleurs et d'employeurs siègent comme membres à part entière de chaque "
            "comité national de pilotage.",
            "Las organizaciones de trabajadores y de empleadores son miembros de pleno derecho de cada comité "
            "nacional de dirección.",
        ),
    ],
    3: [
        (
            "Child labour and forced labour modules go into household and labour force surveys every three to "
            "five years.",
            "Des modules sur le travail des enfants et le travail forcé entrent dans les enquêtes auprès des "
            "ménages et sur la population active tous les trois à cinq ans.",
            "Los módulos sobre trabajo infantil y trabajo forzoso se incluyen en las encuestas de hogares y de "
            "población activa cada tres a cinco años.",
        ),
        (
            "One shared dashboard of 8.7 indicators, fed by national statistical offices.",
            "Un tableau de bord commun des indicateurs 8.7, alimenté par les instituts nationaux de statistique.",
            "Un panel común de indicadores 8.7, alimentado por las oficinas nacionales de estadística.",
        ),
    ],
    4: [
        (
            "NGO and donor projects name the 8.7 priority they serve, so that gaps and overlaps show.",
            "Les projets des ONG et des bailleurs nomment la priorité 8.7 qu'ils servent, pour que les manques et "
            "les doublons apparaissent.",
            "Los proyectos de ONG y donantes indican la prioridad 8.7 a la que sirven, para que se vean los vacíos "
            "y las duplicaciones.",
        ),
    ],
    5: [
        (
            "Domestic budgets carry most of the cost; official development assistance pays to start, not to "
            "keep going.",
            "Les budgets nationaux portent l'essentiel du coût ; l'aide publique au développement finance le "
            "démarrage, pas la durée.",
            "Los presupuestos nacionales asumen la mayor parte del coste; la ayuda oficial al desarrollo financia "
            "el arranque, no la continuidad.",
        ),
    ],
}


def _key_messages(rapporteur, consultation) -> int:
    if KeyMessage.objects.filter(consultation=consultation).exists():
        return 0
    written = 0
    for question in consultation.key_questions.order_by("position"):
        for english, french, spanish in KEY_MESSAGES.get(question.position, []):
            services.key_message_add(
                actor=rapporteur,
                consultation=consultation,
                key_question=question,
                text=english,
                translations={"fr": french, "es": spanish},
            )
            written += 1
    return written


def load(*, consultation, stdout=None) -> None:
    say = stdout.write if stdout else lambda *_: None
    from target87.demo.bangkok import rapporteur_user

    convener = get_user_model().objects.filter(username="convener").first()
    rapporteur = rapporteur_user() or convener
    written = _key_messages(rapporteur, consultation)
    say(f"Key messages: {written} written.\n")
    if Edition.objects.filter(consultation=consultation, kind=EditionKind.FOLLOWUP).exists():
        return
    outcome = services.edition_build(actor=rapporteur, consultation=consultation, language="en")
    services.edition_publish(actor=rapporteur, edition=outcome)
    followup = services.edition_build(
        actor=convener, consultation=consultation, language="en", kind=EditionKind.FOLLOWUP, currency="USD"
    )
    services.edition_publish(actor=convener, edition=followup)
    orphans = len(followup.contents["followup"]["orphan_priorities"])
    say(
        f"Outcome report: edition {outcome.number} with the key messages and follow-up edition {followup.number} "
        f"(actions: {followup.contents['followup']['actions']}, orphan priorities: {orphans}), both published.\n"
    )
