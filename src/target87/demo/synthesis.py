"""The Bangkok demonstration's synthesis: the breakout groups' words in three languages, merged by the rapporteur.

The groups add contributions in English, French and Spanish, and several groups draft, each in its own words and
language, recommendations that say the same thing. The rapporteur then asks the text engine for suggested
merges (by words, TF-IDF, so that every load gives the same suggestions whatever is installed), accepts those
that join the recommendations drafted twice — splitting a suggestion first when it holds more — and prepares a
ballot from the merged recommendations. The texts are written for the demonstration in the spirit of the
consultation's key questions. Everything goes through the deliberation, synthesis and priorities services.
Idempotent: a consultation that already has a request for suggestions is left as it is.
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from target87.breakouts.models import BreakoutGroup, GroupAssignment
from target87.deliberation import services as deliberation
from target87.people.models import Participation
from target87.synthesis import selectors
from target87.synthesis import services as synthesis
from target87.synthesis.enums import SuggestionStatus
from target87.synthesis.models import Suggestion, SuggestionRun

BALLOT_TITLE = "Priorities among the merged recommendations"

# fmt: off
#: themes: (key question, name, contributions as (kind, text)); the language shows in the words
THEMES = [
    (1, "plans", [
        ("proposal", "Every country should cost its national action plan on 8.7 and link it to the annual budget."),
        ("challenge", "Les plans d'action nationaux ne sont pas chiffrés et n'ont pas de ligne budgétaire propre."),
        ("proposal", "Los planes de acción nacionales sobre la meta 8.7 deben tener un costo y un presupuesto propio."),
        ("evidence", "Where the action plan had its own budget line, ministries reported on it every year."),
        ("proposal", "One inter-ministerial body should coordinate the action plan instead of several committees."),
    ]),
    (1, "cash", [
        ("good_practice", "Cash transfers conditional on school attendance cut child labour in rural households."),
        ("proposal", "Les transferts monétaires liés à la scolarisation devraient atteindre les familles de pêcheurs."),
        ("proposal", "Ampliar las transferencias monetarias condicionadas a la escolarización de los niños rurales."),
        ("evidence", "Families who lost a harvest sent children to work; insurance against crop loss kept them in school."),
        ("proposal", "Social protection floors should cover seasonal agricultural workers and their children."),
    ]),
    (1, "inspection", [
        ("challenge", "Labour inspectors cannot reach fishing boats at sea or farms far from the cities."),
        ("proposal", "Donner à l'inspection du travail les moyens d'aller dans l'agriculture et la pêche."),
        ("proposal", "Dar a la inspección del trabajo personal y medios para llegar a la agricultura y la pesca."),
        ("good_practice", "Joint inspections with port authorities found forced labour on fishing vessels."),
        ("challenge", "There are too few labour inspectors, and most of them work in the capital."),
    ]),
    (1, "education", [
        ("proposal", "Make education free and compulsory up to the minimum age for work."),
        ("proposal", "L'école doit être gratuite et obligatoire jusqu'à l'âge minimum d'admission à l'emploi."),
        ("evidence", "Where school ended at twelve and work was allowed from fifteen, children worked in between."),
        ("proposal", "Align the end of compulsory schooling with the minimum working age in law."),
        ("good_practice", "Bridge schools brought working children back into the classroom within a year."),
    ]),
    (1, "birth", [
        ("challenge", "Children without a birth certificate cannot prove their age to an inspector."),
        ("proposal", "Registrar a todos los niños al nacer para que su edad pueda comprobarse."),
        ("proposal", "Universal birth registration, including for migrant children, is a first step."),
        ("good_practice", "Mobile registration teams reached remote villages and registered children on the spot."),
        ("challenge", "Les enfants migrants n'ont souvent aucun acte de naissance dans le pays d'accueil."),
    ]),
    (1, "hazardous", [
        ("proposal", "Update the list of hazardous work forbidden to children, with workers and employers."),
        ("challenge", "La liste des travaux dangereux interdits aux enfants n'a pas été révisée depuis vingt ans."),
        ("proposal", "Revisar la lista de trabajos peligrosos prohibidos a los menores con los interlocutores sociales."),
        ("evidence", "Most working children in fisheries do hazardous tasks such as diving or night work."),
        ("proposal", "Enforce the hazardous work list in agriculture, including pesticide spraying by children."),
    ]),
    (2, "fees", [
        ("challenge", "Migrant workers pay recruitment fees that take months of wages to repay."),
        ("proposal", "Que el empleador pague todos los costos de contratación, nunca el trabajador."),
        ("proposal", "Les frais de recrutement doivent être à la charge de l'employeur et non du travailleur."),
        ("evidence", "Debt from recruitment fees was the most common sign of forced labour among returnees."),
        ("proposal", "Licence recruitment agencies and withdraw the licence of those charging workers."),
    ]),
    (2, "dialogue", [
        ("proposal", "Workers' and employers' organisations should sit on national 8.7 committees as full members."),
        ("proposal", "Les syndicats et les employeurs doivent être membres à part entière des comités nationaux."),
        ("good_practice", "A tripartite committee agreed a plan on fishing that unions now help monitor."),
        ("proposal", "Incluir a sindicatos y empleadores como miembros plenos de los comités nacionales sobre 8.7."),
        ("challenge", "Migrant workers cannot join or form unions in several countries of the sub-region."),
    ]),
    (2, "duediligence", [
        ("proposal", "Companies need one regional standard for human-rights due diligence in supply chains."),
        ("challenge", "Small suppliers cannot afford audits demanded by each buyer separately."),
        ("proposal", "Adoptar una norma regional de debida diligencia en las cadenas de suministro."),
        ("proposal", "Une norme régionale de diligence raisonnable, avec un guide pour les petites entreprises."),
        ("evidence", "Audits announced in advance missed forced labour that unannounced visits found."),
    ]),
    (2, "referral", [
        ("proposal", "Survivors should help design and run national referral systems for victims."),
        ("proposal", "Les survivants doivent participer à la conception des mécanismes d'orientation des victimes."),
        ("challenge", "Victims identified at the border wait weeks before any service reaches them."),
        ("proposal", "Financiar sistemas de derivación de víctimas diseñados con organizaciones de sobrevivientes."),
        ("good_practice", "A survivor-led hotline referred callers to shelters, lawyers and jobs."),
    ]),
    (2, "soldiers", [
        ("challenge", "Children released from armed groups return to villages with no school or work."),
        ("proposal", "Reintegration programmes for former child soldiers should include schooling and skills."),
        ("proposal", "Les enfants sortis des groupes armés ont besoin d'école, de formation et de soutien psychologique."),
        ("evidence", "Without a livelihood, a third of released children were recruited again within two years."),
        ("proposal", "Criminalise the recruitment of children by armed forces and groups in every country."),
    ]),
    (2, "business", [
        ("good_practice", "A business network shared the names of recruitment agencies that charge no fees."),
        ("proposal", "Las empresas deben publicar cómo previenen el trabajo forzoso en sus proveedores."),
        ("proposal", "Companies should report publicly on how they prevent forced labour among their suppliers."),
        ("challenge", "Business fears reputational damage and hides cases instead of remedying them."),
        ("proposal", "Les entreprises doivent rendre compte publiquement de la prévention du travail forcé."),
    ]),
    (3, "survey", [
        ("proposal", "Run a child labour module in the household survey every three to five years."),
        ("proposal", "Intégrer un module sur le travail des enfants dans les enquêtes auprès des ménages."),
        ("proposal", "Incluir un módulo de trabajo infantil en las encuestas de hogares cada cuatro años."),
        ("challenge", "Surveys are run once with donor money and never repeated, so no trend can be seen."),
        ("good_practice", "Publishing the margin of error with indicator 8.7.1 made the figures trusted."),
    ]),
    (3, "forcedsurvey", [
        ("challenge", "No country in the sub-region has a national survey of forced labour."),
        ("proposal", "Realizar una encuesta nacional de trabajo forzoso con la metodología de la OIT."),
        ("proposal", "Run a first national forced labour survey with the ILO's methodology."),
        ("evidence", "Pilot surveys showed that forced labour questions can be asked safely at home."),
        ("proposal", "Réaliser une première enquête nationale sur le travail forcé selon la méthode de l'OIT."),
    ]),
    (3, "admindata", [
        ("proposal", "Share administrative data on trafficking cases across borders in one common format."),
        ("proposal", "Partager entre pays les données administratives sur les cas de traite dans un format commun."),
        ("challenge", "Police, courts and social services each count trafficking cases differently."),
        ("proposal", "Compartir datos administrativos sobre casos de trata entre países en un formato común."),
        ("good_practice", "A shared case database let two countries follow victims across the border."),
    ]),
    (3, "dashboard", [
        ("proposal", "Publish a public dashboard of 8.7 indicators, updated every year."),
        ("proposal", "Publicar un tablero público de indicadores de la meta 8.7 actualizado cada año."),
        ("challenge", "Progress reports are written for donors and are never made public."),
        ("proposal", "Un tableau de bord public des indicateurs 8.7, mis à jour chaque année."),
        ("evidence", "Countries that published their indicators were asked more questions in parliament."),
    ]),
    (3, "statcapacity", [
        ("challenge", "National statistics offices lack staff trained to analyse child labour data."),
        ("proposal", "Train statisticians to compute child labour indicators with their uncertainty."),
        ("proposal", "Former les statisticiens nationaux au calcul des indicateurs du travail des enfants."),
        ("good_practice", "A regional training course let three offices publish their own estimates."),
        ("proposal", "Capacitar a las oficinas de estadística para analizar los datos de trabajo infantil."),
    ]),
    (4, "mapping", [
        ("challenge", "NGOs run the same project in one province while the next province has nothing."),
        ("proposal", "Map who does what and where on 8.7, publicly, and update the map every year."),
        ("proposal", "Cartographier publiquement qui fait quoi et où sur la cible 8.7, chaque année."),
        ("proposal", "Elaborar un mapa público de quién hace qué y dónde sobre la meta 8.7."),
        ("good_practice", "A shared map of programmes showed donors the provinces no one served."),
    ]),
    (4, "resultsframework", [
        ("proposal", "Donors and NGOs should report against one shared results framework."),
        ("challenge", "Each donor asks for its own reports, which takes NGO staff away from their work."),
        ("proposal", "Un cadre de résultats commun aux bailleurs et aux ONG allégerait les rapports."),
        ("good_practice", "A joint donor–NGO results framework cut the reporting burden by half."),
        ("proposal", "Usar un marco de resultados común para donantes y ONG."),
    ]),
    (4, "localngos", [
        ("challenge", "Local NGOs receive short grants and cannot keep trained staff."),
        ("proposal", "Give local NGOs multi-year funding so that they can keep their staff."),
        ("proposal", "Financer les ONG locales sur plusieurs années pour garder leur personnel."),
        ("proposal", "Dar financiamiento plurianual a las ONG locales."),
        ("evidence", "Programmes funded for five years reached twice as many children as one-year grants."),
    ]),
    (4, "alignplans", [
        ("proposal", "Development partners should fund the national action plan rather than their own projects."),
        ("proposal", "Los socios para el desarrollo deben financiar el plan nacional y no proyectos paralelos."),
        ("challenge", "Parallel donor projects pull ministry staff away from the national plan."),
        ("proposal", "Les partenaires au développement devraient financer le plan national plutôt que leurs projets."),
        ("good_practice", "A pooled fund aligned with the national plan replaced six separate projects."),
    ]),
    (4, "survivorvoice", [
        ("proposal", "Survivors should be paid for their time when they advise programmes."),
        ("challenge", "Survivors are invited to tell their story but not to decide anything."),
        ("proposal", "Les survivants doivent être rémunérés lorsqu'ils conseillent les programmes."),
        ("proposal", "Pagar a los sobrevivientes por su tiempo cuando asesoran programas."),
        ("good_practice", "A survivor advisory board changed how a shelter programme was run."),
    ]),
    (5, "oda", [
        ("evidence", "Aid for child labour and forced labour is a tiny share of aid to labour markets."),
        ("proposal", "Raise the share of development aid spent on ending child labour and forced labour."),
        ("proposal", "Augmenter la part de l'aide au développement consacrée au travail des enfants et au travail forcé."),
        ("proposal", "Aumentar la parte de la ayuda al desarrollo dedicada al trabajo infantil y forzoso."),
        ("challenge", "Aid for 8.7 depends on a handful of donors and rises and falls with their budgets."),
    ]),
    (5, "blended", [
        ("proposal", "Blend public and private finance for fair recruitment in the main migration corridors."),
        ("proposal", "Combinar financiamiento público y privado para una contratación equitativa."),
        ("challenge", "Investors have no way to know whether a company's workers were recruited fairly."),
        ("proposal", "Associer financements publics et privés pour un recrutement équitable."),
        ("evidence", "A guarantee fund let small employers pay recruitment costs instead of their workers."),
    ]),
    (5, "domestic", [
        ("challenge", "Domestic budgets for labour inspection have not grown with the labour force."),
        ("proposal", "Governments should raise domestic funding for labour inspection and social protection."),
        ("proposal", "Les gouvernements doivent augmenter le budget national de l'inspection du travail."),
        ("proposal", "Aumentar el presupuesto nacional para la inspección del trabajo."),
        ("evidence", "Tax revenue grew faster than inspection budgets in every country studied."),
    ]),
    (5, "southsouth", [
        ("good_practice", "A South–South exchange brought inspectors from one country to train another's."),
        ("proposal", "Fund South–South cooperation between countries of the sub-region on 8.7."),
        ("proposal", "Financer la coopération Sud-Sud entre pays de la sous-région sur la cible 8.7."),
        ("proposal", "Financiar la cooperación Sur-Sur entre los países de la subregión."),
        ("challenge", "Countries learn little from each other because exchanges depend on one-off projects."),
    ]),
]

#: recommendations drafted by the groups: (theme, its contributions' indexes, title, text, actors, level, timeframe);
#: two for one theme are the same recommendation drafted twice, in two groups and two languages
DRAFTS = [
    ("plans", [0, 3, 4], "Cost and budget the national action plans", "Cost every national action plan on 8.7, give it its own budget line and one coordinating body.", ["governments"], "national", "immediate"),
    ("plans", [1, 2], "Planes nacionales con costo y presupuesto", "Los planes de acción nacionales sobre la meta 8.7 deben tener un costo y un presupuesto propio.", ["governments"], "national", "immediate"),
    ("cash", [0, 2, 4], "Cash transfers tied to schooling", "Extend cash transfers conditional on schooling and social protection floors to rural and seasonal workers' families.", ["governments", "development_partners"], "national", "medium"),
    ("inspection", [1, 3], "Inspection du travail dans l'agriculture et la pêche", "Donner à l'inspection du travail les moyens d'aller dans l'agriculture et la pêche, avec les autorités portuaires.", ["governments"], "national", "medium"),
    ("education", [0, 1, 3], "Free school up to the minimum working age", "Make education free and compulsory up to the minimum age for work, and align the two in law.", ["governments"], "national", "medium"),
    ("birth", [1, 2, 3], "Universal birth registration", "Register every child at birth, migrant children included, with mobile teams for remote areas.", ["governments", "un"], "national", "medium"),
    ("hazardous", [0, 4], "Update the hazardous work list", "Update the list of hazardous work forbidden to children with workers and employers, and enforce it in agriculture and fisheries.", ["governments", "social_partners"], "national", "immediate"),
    ("hazardous", [1, 2], "Réviser la liste des travaux dangereux", "Réviser avec les partenaires sociaux la liste des travaux dangereux interdits aux enfants.", ["governments", "social_partners"], "national", "immediate"),
    ("fees", [1, 2, 4], "Employers pay recruitment costs", "Employers pay all recruitment costs, never workers; agencies that charge workers lose their licence.", ["governments", "social_partners"], "regional", "medium"),
    ("dialogue", [1, 3], "Syndicats et employeurs dans les comités nationaux", "Les syndicats et les employeurs doivent être membres à part entière des comités nationaux sur 8.7.", ["governments", "social_partners"], "national", "immediate"),
    ("duediligence", [2, 3], "Norma regional de debida diligencia", "Adoptar una norma regional de debida diligencia en las cadenas de suministro, con una guía para pequeñas empresas.", ["governments", "social_partners", "un"], "regional", "medium"),
    ("referral", [0, 1, 3], "Referral systems designed with survivors", "Design, run and fund national referral systems for victims together with survivor-led organisations.", ["governments", "ngos"], "national", "immediate"),
    ("soldiers", [0, 1, 2], "Reintegration of former child soldiers", "Give children released from armed groups schooling, skills and psychosocial support, and criminalise their recruitment.", ["governments", "un", "ngos"], "national", "immediate"),
    ("business", [1, 2], "Public reporting on forced labour in supply chains", "Companies report publicly on how they prevent forced labour among their suppliers.", ["social_partners"], "regional", "medium"),
    ("business", [4], "Rendre compte publiquement du travail forcé", "Les entreprises doivent rendre compte publiquement de la prévention du travail forcé chez leurs fournisseurs.", ["social_partners"], "regional", "medium"),
    ("survey", [1, 2], "Módulo de trabajo infantil en las encuestas", "Incluir un módulo de trabajo infantil en las encuestas de hogares cada cuatro años y publicar el margen de error.", ["governments", "un"], "national", "medium"),
    ("forcedsurvey", [0, 2, 3], "A national forced labour survey", "Run a first national forced labour survey with the ILO's methodology, and repeat it.", ["governments", "un", "development_partners"], "national", "long"),
    ("forcedsurvey", [1, 4], "Una encuesta nacional de trabajo forzoso", "Realizar una encuesta nacional de trabajo forzoso con la metodología de la OIT.", ["governments", "un"], "national", "long"),
    ("dashboard", [0, 2, 4], "A public dashboard of 8.7 indicators", "Publish a public dashboard of the 8.7 indicators, updated every year.", ["governments"], "regional", "immediate"),
    ("dashboard", [1, 3], "Un tablero público de indicadores", "Publicar un tablero público de los indicadores de la meta 8.7, actualizado cada año.", ["governments"], "regional", "immediate"),
    ("resultsframework", [0, 1, 3], "One results framework for donors and NGOs", "Donors and NGOs report against one shared results framework.", ["development_partners", "ngos"], "regional", "medium"),
    ("localngos", [0, 1, 4], "Multi-year funding for local NGOs", "Give local NGOs multi-year funding so that they keep their trained staff.", ["development_partners"], "national", "medium"),
    ("oda", [0, 1], "More aid for ending child and forced labour", "Raise the share of development aid spent on ending child labour and forced labour.", ["development_partners"], "regional", "long"),
    ("oda", [2, 3], "Plus d'aide contre le travail des enfants", "Augmenter la part de l'aide au développement consacrée au travail des enfants et au travail forcé.", ["development_partners"], "regional", "long"),
]

# fmt: on


def _people(consultation) -> list[Participation]:
    return list(
        Participation.objects.filter(consultation=consultation, status="approved", role="participant")
        .select_related("person__organisation", "consultation")
        .order_by("pk")
    )


def _members_by_session(consultation) -> dict[int, set[int]]:
    """Who sits in (or leads) a group of each session of the published breakout slots: a participant sends
    contributions from their own group only."""
    members: dict[int, set[int]] = {}
    groups = BreakoutGroup.objects.filter(
        allocation__consultation=consultation, run=F("allocation__published_run")
    ).select_related("allocation")
    for group in groups:
        session_id = group.session_id or group.allocation.session_id
        seated = members.setdefault(session_id, set())
        seated.update(GroupAssignment.objects.filter(group=group).values_list("participation_id", flat=True))
        if group.facilitator_id:
            seated.add(group.facilitator_id)
    return members


def _groups_by_question(consultation) -> dict[int, list]:
    """The breakout groups that worked on each key question (the recommendation groups work on all)."""
    groups: dict[int, list] = {}
    for session in (
        consultation.sessions.filter(kind="breakout").prefetch_related("key_questions").order_by("start", "title")
    ):
        for question in session.key_questions.all():
            groups.setdefault(question.position, []).append(session)
    return groups


def _contributions(consultation, convener, rng) -> dict[str, list]:
    people = _people(consultation)
    seated = _members_by_session(consultation)
    questions = {q.position: q for q in consultation.key_questions.all()}
    groups = _groups_by_question(consultation)
    made: dict[str, list] = {}
    for number, (position, theme, rows) in enumerate(THEMES):
        sessions = groups.get(position) or [None]
        made[theme] = []
        for n, (kind, text) in enumerate(rows):
            fields = dict(
                consultation=consultation,
                key_question=questions[position],
                session=sessions[(number + n) % len(sessions)],
                kind=kind,
                text=text,
            )
            session = fields["session"]
            senders = [p for p in people if session is None or session.pk not in seated or p.pk in seated[session.pk]]
            if n % 3 == 1 or not senders:  # the group's rapporteur records it for a stakeholder group
                group = rng.choice(["workers", "employers", "civil_society", "survivor_led", "government"])
                made[theme].append(deliberation.contribution_create(actor=convener, stakeholder_group=group, **fields))
            else:
                made[theme].append(
                    deliberation.contribution_create(participation=rng.choice(senders), anonymous=n == 4, **fields)
                )
    return made


def _drafts(consultation, convener, made) -> list:
    questions = {q.position: q for q in consultation.key_questions.all()}
    position_of = {theme: position for position, theme, _rows in THEMES}
    groups = _groups_by_question(consultation)
    drafted = []
    for n, (theme, sources, title, text, actors, level, timeframe) in enumerate(DRAFTS):
        sessions = groups.get(position_of[theme]) or [None]
        drafted.append(
            deliberation.recommendation_create(
                actor=convener,
                consultation=consultation,
                key_question=questions[position_of[theme]],
                session=sessions[n % len(sessions)],
                title=title,
                text=text,
                actors=actors,
                level=level,
                timeframe=timeframe,
                contributions=[made[theme][i] for i in sources],
            )
        )
    return drafted


def _twins(drafted) -> list[tuple]:
    """The pairs of recommendations drafted twice for one theme."""
    by_theme: dict[str, list] = {}
    for (theme, *_rest), rec in zip(DRAFTS, drafted, strict=True):
        by_theme.setdefault(theme, []).append(rec)
    return [tuple(recs) for recs in by_theme.values() if len(recs) == 2]


def _merge_twins(convener, consultation, twins) -> int:
    """Accept the suggestions that join each twin pair, after a split when they hold more than the pair."""
    merged = 0
    for pair in twins:
        keys = {f"r{rec.pk}" for rec in pair}
        suggestion = next(
            (
                s
                for s in Suggestion.objects.filter(consultation=consultation, status=SuggestionStatus.PENDING)
                if keys <= {m.key for m in s.members.all()}
            ),
            None,
        )
        if suggestion is None:
            continue
        members = list(suggestion.members.all())
        if len(members) > 2:
            [suggestion, *_rest] = synthesis.suggestion_split(
                actor=convener, suggestion=suggestion, members=[m for m in members if m.key in keys]
            )
        draft = synthesis.merge_draft(suggestion)
        synthesis.suggestion_accept(actor=convener, suggestion=suggestion, **draft)
        merged += 1
    return merged


@transaction.atomic
def load(*, consultation, stdout=None) -> None:
    from target87.demo.bangkok import CONVENER_USERNAME, rapporteur_user

    say = stdout.write if stdout else lambda *_: None
    if SuggestionRun.objects.filter(consultation=consultation).exists():
        say("Found the synthesis.\n")
        return
    rng = random.Random(8787)
    convener = get_user_model().objects.get(username=CONVENER_USERNAME)
    made = _contributions(consultation, convener, rng)
    drafted = _drafts(consultation, convener, made)
    rapporteur = rapporteur_user() or convener
    run = synthesis.suggestions_request(
        actor=rapporteur, consultation=consultation, method="tfidf", include_covered=False, background=False
    )
    merged = _merge_twins(rapporteur, consultation, _twins(drafted))
    first = merged and selectors.merge_list(consultation=consultation).last()
    if first:
        quoted = first.recommendation.contributions.order_by("pk").first()
        words = " ".join(quoted.text.split()[:8])
        synthesis.quote_add(actor=rapporteur, recommendation=first.recommendation, contribution=quoted, text=words)
    ballot = synthesis.ballot_prepare(
        actor=convener,
        consultation=consultation,
        title=BALLOT_TITLE,
        method="borda",
        include_unmerged=merged < 2,
    )
    say(
        f"Synthesis: {sum(len(rows) for rows in made.values())} contributions and {len(drafted)} recommendations "
        f"added; {run.suggestions.count()} suggested merges, {merged} accepted; the ballot “{ballot.title}” "
        f"with {ballot.items.count()} recommendations.\n"
    )
