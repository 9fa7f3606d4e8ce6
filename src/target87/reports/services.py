"""Changing reports: channels and the routing of recommendations to them, building and publishing editions.

An edition is built whole in a scratch folder beside the editions, then recorded and moved into place in one
transaction: a build that stops (an error, a stopped worker) leaves no edition and no file behind, and the
editions made before it as they were.
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from target87.core import audit, countries
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.deliberation.models import Recommendation

from . import charts as charting
from . import followup, rendering
from .enums import ChannelKind, EditionKind
from .models import Channel, Edition, KeyMessage, Route

#: the channels every consultation on target 8.7 of this series reports to, besides its countries
USUAL_CHANNELS = [
    ("global-sdg-alliance", ChannelKind.GLOBAL, "Launch of the Global SDG Alliance (New York, September 2016)"),
    ("child-labour-conference", ChannelKind.CONFERENCE, "4th Global Conference on Child Labour (Buenos Aires, 2017)"),
]


#: the report's body as the public page shows it (inside the site's layout), kept with the edition's files
PAGE, PAGE_FILE = "page", "page.html"


def _root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _sweep(folder: Path) -> None:
    """Remove what builds killed in the middle left behind (their ``.building-*`` folders), once no live build
    can own them any more: a build writes its files within a job's lease."""
    if not folder.is_dir():
        return
    before = time.time() - settings.JOB_LEASE_SECONDS
    for scratch in folder.glob(".building-*"):
        if scratch.stat().st_mtime < before:
            shutil.rmtree(scratch, ignore_errors=True)


def channel_save(
    *,
    actor,
    consultation,
    name: str,
    kind: str,
    country: str = "",
    description: str = "",
    slug: str = "",
    channel: Channel | None = None,
) -> Channel:
    errors: dict[str, list[str]] = {}
    require(actor, "reports.manage", consultation)
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the channel a name.")]
    if kind not in ChannelKind.values:
        errors["kind"] = [_("Choose what kind of channel this is.")]
    code = countries.lookup(country) if country else None
    if country and code is None:
        errors["country"] = [
            _("“%(value)s” is not a country we know: give its ISO code, e.g. VNM.") % {"value": country}
        ]
    if kind == ChannelKind.COUNTRY and not code:
        errors.setdefault("country", [_("A country channel needs its country.")])
    others = Channel.objects.filter(consultation=consultation)
    if channel is not None:
        others = others.exclude(pk=channel.pk)
    given = slugify(slug or "")[:60]
    if given and others.filter(slug=given).exists():
        errors["slug"] = [_("Another channel of this consultation is already called “%(slug)s”.") % {"slug": given}]
    slug = given
    if not slug:  # made from the name: a name in Thai or Chinese has no Latin letters, and two names may meet
        base = slugify(f"country-{code.lower()}" if kind == ChannelKind.COUNTRY and code else name)[:55] or "channel"
        slug, n = base, 1
        while others.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        made = channel is None
        channel = channel or Channel(consultation=consultation)
        channel.name, channel.kind, channel.country = name, kind, code or ""
        channel.description, channel.slug = description, slug
        if made:
            channel.position = (
                Channel.objects.filter(consultation=consultation).aggregate(m=Max("position"))["m"] or 0
            ) + 1
        channel.save()
        audit.record(
            actor=actor,
            action="reports.channel." + ("create" if made else "update"),
            obj=channel,
            consultation=consultation,
            changes={"name": name, "kind": kind, "country": channel.country},
        )
    return channel


def channel_delete(*, actor, channel: Channel) -> None:
    require(actor, "reports.manage", channel.consultation)
    with transaction.atomic():
        audit.record(actor=actor, action="reports.channel.delete", obj=channel, consultation=channel.consultation)
        channel.delete()


def channels_add_usual(*, actor, consultation) -> list[Channel]:
    """The Global SDG Alliance launch, the 4th Global Conference on Child Labour and one channel per country of
    the consultation's sub-region, those not there yet (safe to run again): all of them or none."""
    require(actor, "reports.manage", consultation)
    made = []
    have = set(Channel.objects.filter(consultation=consultation).values_list("slug", flat=True))
    wanted = [(slug, kind, name, "") for slug, kind, name in USUAL_CHANNELS]
    for code in consultation.countries or []:
        wanted.append(
            (
                f"country-{code.lower()}",
                ChannelKind.COUNTRY,
                _("Country-level initiatives: %(country)s") % {"country": countries.name(code)},
                code,
            )
        )
    with transaction.atomic():
        for slug, kind, name, code in wanted:
            if slug not in have:
                made.append(
                    channel_save(actor=actor, consultation=consultation, name=name, kind=kind, country=code, slug=slug)
                )
    return made


def routes_replace(*, actor, consultation, pairs: Iterable[tuple[int, int]]) -> dict[str, int]:
    """Set the routing of the consultation's recommendations to exactly ``pairs`` of (recommendation id,
    channel id); pairs that name another consultation's recommendation or channel are refused."""
    require(actor, "reports.write", consultation)
    pairs = {(int(r), int(c)) for r, c in pairs}
    recs = set(Recommendation.objects.filter(consultation=consultation).values_list("pk", flat=True))
    chans = set(Channel.objects.filter(consultation=consultation).values_list("pk", flat=True))
    if any(r not in recs or c not in chans for r, c in pairs):
        raise ServiceError(_("Some of the routes name a recommendation or a channel that is not in this consultation."))
    with transaction.atomic():
        current = set(
            Route.objects.filter(channel__consultation=consultation).values_list("recommendation_id", "channel_id")
        )
        removed, added = current - pairs, pairs - current
        for r, c in removed:
            Route.objects.filter(recommendation_id=r, channel_id=c).delete()
        Route.objects.bulk_create(
            [
                Route(
                    recommendation_id=r,
                    channel_id=c,
                    routed_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
                for r, c in sorted(added)
            ]
        )
        if added or removed:
            audit.record(
                actor=actor,
                action="reports.routes.replace",
                obj=consultation,
                consultation=consultation,
                changes={"added": sorted(added), "removed": sorted(removed)},
            )
    return {"added": len(added), "removed": len(removed)}


def _language(language: str) -> str:
    known = [code for code, _name in settings.LANGUAGES]
    if language not in known:
        raise ServiceError(
            _("The report is made in %(known)s; “%(language)s” is not one of them.")
            % {"known": ", ".join(known), "language": language}
        )
    return language


def edition_kind(kind: str, currency: str = "") -> tuple[str, str]:
    """The kind of edition and its currency (a follow-up edition's money; none for the outcome report), checked."""
    if kind not in EditionKind.values:
        raise ServiceError(
            _("An edition is one of %(kinds)s; “%(kind)s” is not one of them.")
            % {"kinds": ", ".join(EditionKind.values), "kind": kind}
        )
    return kind, followup.currency_check(currency) if kind == EditionKind.FOLLOWUP else ""


def build_files(
    *,
    consultation,
    channel=None,
    language: str = "en",
    kind: str = EditionKind.OUTCOME,
    currency: str = "",
    progress: Callable | None = None,
) -> tuple[dict, dict[str, bytes]]:
    """The contents and every format's bytes (nothing written). ``progress(done, total, message)``."""
    language = _language(language)
    kind, currency = edition_kind(kind, currency)
    progress = progress or (lambda *args: None)
    steps = len(rendering.FORMATS) + 2
    with translation.override(language):
        progress(0, steps, _("Gathering the contents"))
        contents = followup.contents_for(consultation=consultation, channel=channel, kind=kind, currency=currency)
        progress(1, steps, _("Drawing the charts"))
        drawn = charting.prepare(contents)
        files = {}
        for i, fmt in enumerate(rendering.FORMATS, start=2):
            progress(i, steps, _("Writing the %(format)s") % {"format": fmt.upper()})
            files[fmt] = followup.render(contents, fmt, charts=drawn if fmt in ("html", "pdf") else None)
        files[PAGE] = render_to_string("reports/_report.html", rendering.body_context(contents, drawn)).encode()
    progress(steps, steps, _("Saving the edition"))
    return contents, files


def edition_build(
    *,
    actor,
    consultation,
    channel=None,
    language: str = "en",
    kind: str = EditionKind.OUTCOME,
    currency: str = "",
    progress: Callable | None = None,
) -> Edition:
    """Build every format of the report (the outcome report or its follow-up edition) and keep it as a new
    dated edition."""
    require(actor, "reports.write", consultation)
    contents, files = build_files(
        consultation=consultation,
        channel=channel,
        language=language,
        kind=kind,
        currency=currency,
        progress=progress,
    )
    token = uuid.uuid4().hex
    base = Path("reports") / consultation.slug
    scratch, folder = _root() / base / f".building-{token}", base / token
    _sweep(_root() / base)
    scratch.mkdir(parents=True, exist_ok=True)
    names = {}
    try:
        for fmt, data in files.items():
            name = PAGE_FILE if fmt == PAGE else followup.filename(contents, fmt)
            (scratch / name).write_bytes(data)
            names[fmt] = name
        with transaction.atomic():
            number = (Edition.objects.filter(consultation=consultation).aggregate(m=Max("number"))["m"] or 0) + 1
            edition = Edition.objects.create(
                consultation=consultation,
                number=number,
                channel=channel,
                channel_name=channel.name if channel else "",
                kind=contents["edition"],
                currency=(contents["followup"] or {}).get("currency", ""),
                language=language,
                folder=str(folder),
                files=names,
                contents=contents,
                recommendations=sum(len(b["recommendations"]) for b in contents["key_questions"]),
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit.record(
                actor=actor,
                action="reports.edition.build",
                obj=edition,
                consultation=consultation,
                changes={
                    "number": number,
                    "kind": edition.kind,
                    "channel": edition.channel_name,
                    "language": language,
                    "currency": edition.currency,
                },
            )
            scratch.replace(_root() / folder)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(_root() / folder, ignore_errors=True)
        raise
    return edition


def edition_publish(*, actor, edition: Edition) -> Edition:
    """Make the edition the public report (for its channel, or the whole report); earlier ones stay listed."""
    require(actor, "reports.write", edition.consultation)
    with transaction.atomic():
        edition.published_at = timezone.now()
        edition.published_by = actor if getattr(actor, "is_authenticated", False) else None
        edition.save(update_fields=["published_at", "published_by"])
        audit.record(actor=actor, action="reports.edition.publish", obj=edition, consultation=edition.consultation)
    return edition


def edition_unpublish(*, actor, edition: Edition) -> Edition:
    require(actor, "reports.manage", edition.consultation)
    with transaction.atomic():
        edition.published_at = None
        edition.published_by = None
        edition.save(update_fields=["published_at", "published_by"])
        audit.record(actor=actor, action="reports.edition.unpublish", obj=edition, consultation=edition.consultation)
    return edition


# --- key messages ------------------------------------------------------------------------------------------

#: key messages are a short list: at most this many under one key question, each at most this long
KEY_MESSAGES_MAX = 8
KEY_MESSAGE_LENGTH = 600


def _message_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError({"text": [_("Write the key message: it is empty.")]})
    if len(text) > KEY_MESSAGE_LENGTH:
        raise ServiceError(
            {
                "text": [
                    _("A key message is at most %(max)s characters; this one has %(count)s. Shorten it.")
                    % {"max": KEY_MESSAGE_LENGTH, "count": len(text)}
                ]
            }
        )
    return text


def _translations(given: dict | None) -> dict:
    """``{"fr": "…", "es": "…"}`` as a key message keeps it; the interface languages only, texts checked."""
    known = [code for code, _name in settings.LANGUAGES]
    kept = {}
    for language, text in (given or {}).items():
        if language not in known:
            raise ServiceError(
                _("Key messages are translated into %(known)s; “%(language)s” is not one of them.")
                % {"known": ", ".join(known), "language": language}
            )
        if (text or "").strip():
            try:
                kept[language] = {"text": _message_text(text)}
            except ServiceError as error:  # say which of the texts it is, under its own field
                name = dict(settings.LANGUAGES)[language]
                problems = [
                    _("In %(language)s: %(problem)s") % {"language": name, "problem": m} for m in error.messages
                ]
                raise ServiceError({f"text__{language}": problems}) from None
    return kept


def key_message_add(*, actor, consultation, key_question, text: str, translations: dict | None = None) -> KeyMessage:
    """Add a key message at the end of a key question's list; the text is kept as written, and its translations
    (language → text) when given."""
    require(actor, "reports.write", consultation)
    if key_question.consultation_id != consultation.pk:
        raise ServiceError(_("That key question is not one of this consultation's."))
    text = _message_text(text)
    translated = _translations(translations)
    with transaction.atomic():
        # the key question's row is the lock: two messages added at once queue for their places
        type(key_question).objects.select_for_update().filter(pk=key_question.pk).first()
        siblings = KeyMessage.objects.filter(key_question=key_question)
        if siblings.count() >= KEY_MESSAGES_MAX:
            raise ServiceError(
                {
                    "text": [
                        _(
                            "Key question %(n)s already has %(max)s key messages: the list is kept short. Merge "
                            "or remove one first."
                        )
                        % {"n": key_question.position, "max": KEY_MESSAGES_MAX}
                    ]
                }
            )
        message = KeyMessage.objects.create(
            consultation=consultation,
            key_question=key_question,
            position=(siblings.aggregate(m=Max("position"))["m"] or 0) + 1,
            text=text,
            translations=translated,
            written_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            action="reports.key_message.create",
            obj=message,
            consultation=consultation,
            changes={"key_question": key_question.position, "text": text, "translations": translated},
        )
    return message


def key_message_update(*, actor, message: KeyMessage, text: str, translations: dict | None = None) -> KeyMessage:
    """Change a key message's text and, when ``translations`` (language → text) is given, its translations: they
    replace the earlier ones (a language left out or empty has none)."""
    require(actor, "reports.write", message.consultation)
    text = _message_text(text)
    translated = message.translations if translations is None else _translations(translations)
    if text == message.text and translated == message.translations:
        return message
    with transaction.atomic():
        changes = {}
        if text != message.text:
            changes["text"] = [message.text, text]
        if translated != message.translations:
            changes["translations"] = [message.translations, translated]
        message.text, message.translations = text, translated
        message.save(update_fields=["text", "translations", "updated_at"])
        audit.record(
            actor=actor,
            action="reports.key_message.update",
            obj=message,
            consultation=message.consultation,
            changes=changes,
        )
    return message


def _renumber(ordered: list[KeyMessage]) -> None:
    for position, message in enumerate(ordered, start=1):
        if message.position != position:
            message.position = position
            message.save(update_fields=["position"])


def key_message_delete(*, actor, message: KeyMessage) -> None:
    require(actor, "reports.write", message.consultation)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="reports.key_message.delete",
            obj=message,
            consultation=message.consultation,
            changes={"key_question": message.key_question.position, "text": message.text},
        )
        message.delete()
        rest = KeyMessage.objects.select_for_update().filter(key_question=message.key_question)
        _renumber(list(rest.order_by("position", "id")))


def key_message_move(*, actor, message: KeyMessage, direction: str) -> KeyMessage:
    """Move a key message one place up or down in its key question's list."""
    require(actor, "reports.write", message.consultation)
    if direction not in ("up", "down"):
        raise ServiceError(_("A key message moves up or down."))
    with transaction.atomic():
        ordered = list(
            KeyMessage.objects.select_for_update().filter(key_question=message.key_question).order_by("position", "id")
        )
        index = next((i for i, m in enumerate(ordered) if m.pk == message.pk), None)
        if index is None:
            raise ServiceError(_("This key message has been removed meanwhile."))
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
            _renumber(ordered)
            audit.record(
                actor=actor,
                action="reports.key_message.move",
                obj=message,
                consultation=message.consultation,
                changes={"direction": direction, "position": other + 1},
            )
    message.refresh_from_db()
    return message
