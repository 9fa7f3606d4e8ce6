"""The report as an editable Word document (python-docx), for the rapporteur to work on: headings, lists and
tables with Word's own styles, and the charts as pictures with their tables."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

#: a font that covers Latin and Vietnamese; East Asian and complex scripts fall back to the Noto families
FONT = "Noto Sans"
EAST_ASIAN = "Noto Sans CJK SC"
COMPLEX = "Noto Sans Thai"


def _fonts(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), EAST_ASIAN)
    fonts.set(qn("w:cs"), COMPLEX)


def _row_properties(row, *, header: bool = False) -> None:
    """A row that Word keeps on one page; a header row, repeated at the top of each page the table runs on to."""
    properties = row._tr.get_or_add_trPr()
    for name in ("w:cantSplit", *(["w:tblHeader"] if header else [])):
        element = properties.makeelement(qn(name), {})
        properties.append(element)


def _table(document, header: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    _row_properties(table.rows[0], header=True)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        added = table.add_row()
        _row_properties(added)
        for cell, value in zip(added.cells, row, strict=True):
            cell.text = "—" if value is None else str(value)


def _money(item: dict, currency: str) -> str:
    return _("committed %(committed)s %(currency)s, spent %(spent)s %(currency)s") % {
        "committed": item["committed"]["label"],
        "spent": item["spent"]["label"],
        "currency": currency,
    }


def _action_line(action: dict, currency: str) -> str:
    parts = [f"{action['title']} — {action['status_label']}, {action['progress']} %"]
    if action["overdue"]:
        parts[0] += " (" + _("overdue") + ")"
    if action["place"]:
        parts.append(action["place"])
    if action["lead"]:
        parts.append(_("led by %(lead)s") % {"lead": action["lead"]})
    label = action["latest_update"]["label"]
    parts.append(_("latest update %(when)s") % {"when": label} if label else _("no update yet"))
    if action["committed"]["value"] or action["spent"]["value"]:
        parts.append(_money(action, currency))
    if action["missing"]:
        parts.append(_("amounts in %(codes)s left out: no exchange rate") % {"codes": ", ".join(action["missing"])})
    return " · ".join(parts)


def _since(document, since: dict, currency: str) -> None:
    document.add_heading(_("What has happened since"), level=4)
    if not since["actions"]:
        document.add_paragraph(_("No action answers this recommendation yet."))
        return
    line = ngettext("%(count)s action answers it", "%(count)s actions answer it", len(since["actions"])) % {
        "count": len(since["actions"])
    }
    if since["progress"] is not None:
        line += ", " + _("%(progress)s %% done on average") % {"progress": since["progress"]}
    document.add_paragraph(line + "; " + _money(since, currency) + ".")
    for action in since["actions"]:
        document.add_paragraph(_action_line(action, currency), style="List Bullet")


def _followup(document, f: dict) -> None:
    document.add_heading(_("What has happened since"), level=1)
    document.add_paragraph(
        ngettext(
            "%(count)s action answers the recommendations of this report.",
            "%(count)s actions answer the recommendations of this report.",
            f["actions"],
        )
        % {"count": f["actions"]}
    )
    _table(document, [_("Status"), _("Actions")], [[s["label"], s["count"]] for s in f["by_status"]])
    document.add_paragraph(
        _("Money committed: %(committed)s %(currency)s; spent: %(spent)s %(currency)s.")
        % {"committed": f["committed"]["label"], "spent": f["spent"]["label"], "currency": f["currency"]}
    )
    document.add_heading(_("Priorities no action answers yet"), level=1)
    if not f["orphan_priorities"]:
        document.add_paragraph(_("Every high-priority recommendation has at least one action answering it."))
        return
    document.add_paragraph(
        _(
            "These recommendations came high in the prioritisation, and no action answers them yet (dropped "
            "actions do not count)."
        )
    )
    for o in f["orphan_priorities"]:
        text = f"{o['code']}. {o['title']}" + (f" ({o['key_question']})" if o["key_question"] else "")
        if o["places"]:
            text += " — " + "; ".join(o["places"])
        document.add_paragraph(text, style="List Bullet")


def _recommendation(document, rec: dict, currency: str = "") -> None:
    document.add_heading(f"{rec['code']}. {rec['title']}", level=3)
    document.add_paragraph(rec["text"])
    details = [rec["level_label"], rec["timeframe_label"], *rec["actors"]]
    if rec["channels_label"]:
        details.append(_("Channels:") + " " + rec["channels_label"])
    document.add_paragraph(" · ".join(details)).runs[0].italic = True
    s = rec["support"]
    line = s["consensus_label"]
    if s["rank"] is not None:
        line += " · " + _("place %(rank)s of %(of)s overall (score %(score)s)") % s
    document.add_paragraph(line).runs[0].bold = True
    if s.get("groups_of"):
        figures = [f"{g['label']} {g['rank']}" for g in s["groups"]]
        lead = _("Place in each stakeholder group, of %(of)s:") % {"of": s["groups_of"]}
        document.add_paragraph(lead + " " + " · ".join(figures))
    elif s["groups"]:
        figures = [
            f"{g['label']} {g['rank']}/{g['of']}" if "rank" in g else f"{g['label']} {g['agreement']} %"
            for g in s["groups"]
        ]
        document.add_paragraph(_("Per stakeholder group:") + " " + " · ".join(figures))
    if s["minority"]:
        document.add_paragraph(_("Minority positions:") + " " + "; ".join(g["label"] for g in s["minority"]))
    for view in rec["dissent"]:
        text = f"{view['kind_label']}" + (f" ({view['group']})" if view["group"] else "") + f": {view['text']}"
        document.add_paragraph(text, style="List Bullet")
    if rec.get("since") is not None:
        _since(document, rec["since"], currency)


def _question(document, block: dict, channel: dict | None, currency: str = "") -> None:
    document.add_heading(_("Key question %(n)s") % {"n": block["position"]} + f": {block['short_title']}", level=1)
    document.add_paragraph(block["text"]).runs[0].italic = True
    if block["key_messages"]:
        document.add_heading(_("Key messages"), level=2)
        for message in block["key_messages"]:
            document.add_paragraph(message, style="List Number")
    document.add_heading(_("Recommendations in order of priority"), level=2)
    if not block["recommendations"]:
        document.add_paragraph(_("No recommendations under this key question yet."))
    for rec in block["recommendations"]:
        _recommendation(document, rec, currency)
    if block["good_practices"]:
        document.add_heading(_("Good practices cited"), level=2)
        for c in block["good_practices"]:
            suffix = f" ({', '.join(c['countries'])})" if c["countries"] else ""
            document.add_paragraph(c["text"] + suffix, style="List Bullet")
    if block["country_contributions"]:
        document.add_heading(_("Contributions about %(country)s") % {"country": channel["country_name"]}, level=2)
        for c in block["country_contributions"]:
            document.add_paragraph(f"{c['kind_label']}: {c['text']}", style="List Bullet")


def _charts(document, charts: list[dict]) -> None:
    if not charts:
        return
    document.add_heading(_("Priorities by stakeholder group"), level=1)
    for chart in charts:
        if chart.get("image"):
            document.add_picture(io.BytesIO(chart["image"]), width=Cm(16))
        document.add_paragraph(f"{chart['ballot']} ({chart['method']})").runs[0].italic = True
        _table(
            document,
            [_("Recommendation"), _("Overall"), *[g["label"] for g in chart["groups"]]],
            [[f"{row['code']}. {row['title']}", row["overall"], *row["values"]] for row in chart["table"]],
        )


def _annexes(document, contents: dict) -> None:
    annexes = contents["annexes"]
    document.add_heading(_("Annex 1. Programme"), level=1)
    _table(
        document,
        [_("When"), _("Session"), _("Speakers")],
        [
            [
                f"{s['day']} {s['start']}–{s['end']}",
                f"{s['title']} ({s['kind']})",
                "; ".join(f"{p['name']} ({p['role']})" for p in s["speakers"]),
            ]
            for s in annexes["programme"]
        ],
    )
    document.add_heading(_("Annex 2. Participation"), level=1)
    p = annexes["participation"]
    document.add_paragraph(_("Participants: %(total)s") % {"total": p["total"]})
    for title, key in (
        (_("By stakeholder group"), "by_group"),
        (_("By country"), "by_country"),
        (_("By gender"), "by_gender"),
    ):
        document.add_heading(title, level=2)
        _table(document, ["", _("Participants")], [[row["label"], row["count"]] for row in p[key]])
    m = annexes["methods"]
    document.add_heading(_("Annex 3. Methods"), level=1)
    document.add_heading(_("How breakout groups were balanced"), level=2)
    document.add_paragraph(m["balancing_note"])
    for b in m["balancing"]:
        document.add_paragraph(
            _(
                "%(session)s: %(groups)s groups, %(complete)s with government, workers and employers, %(first)s %% "
                "first topic choice met, %(moves)s moves by hand."
            )
            % {
                "session": b["session"],
                "groups": b["groups"],
                "complete": b["tripartite_complete"],
                "first": b["first_choice"],
                "moves": b["hand_moves"],
            },
            style="List Bullet",
        )
    document.add_heading(_("How votes were counted"), level=2)
    for v in m["voting"]:
        document.add_paragraph(
            f"{v['title']} — {v['method_label']}: "
            + _("%(people)s voters, %(votes)s votes.") % {"people": v["participants"], "votes": v["votes"]}
            + f" {v['note']}"
        )
    document.add_paragraph(m["consensus_note"])


def render_docx(contents: dict, *, charts: list[dict]) -> bytes:
    document = Document()
    _fonts(document)
    title = contents["consultation"]["title"]
    document.core_properties.title = title
    document.add_heading(title, level=0)
    subtitle = _("Outcome report")
    if contents.get("followup"):
        subtitle += " — " + _("follow-up edition: what has happened since")
    subtitle += f" — {contents['channel']['name']}" if contents["channel"] else ""
    document.add_paragraph(f"{subtitle} · {contents['summary']['dates']} · {contents['summary']['place']}")
    document.add_heading(_("Summary"), level=1)
    for paragraph in contents["summary"]["paragraphs"]:
        document.add_paragraph(paragraph)
    if contents["empty"]:
        document.add_paragraph(_("No recommendations yet."))
    currency = ""
    if contents.get("followup"):
        _followup(document, contents["followup"])
        currency = contents["followup"]["currency"]
    for block in contents["key_questions"]:
        _question(document, block, contents["channel"], currency)
    _charts(document, charts)
    _annexes(document, contents)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
