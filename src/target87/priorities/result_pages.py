"""What the results page and the plenary screen read: the count, the items' full texts, the opinion groups.

The counting and its caches are :mod:`.selectors`'; this module shapes them for people to read (through
:mod:`.results`), and reads the votes again only for what the stored count leaves out: which statements set
each opinion group apart.
"""

from __future__ import annotations

import time

from django.core.cache import cache

from . import results, selectors
from .enums import BallotStatus


def item_text(item) -> str:
    """What an item says in full: a statement's whole text, a recommendation's title."""
    if item.recommendation_id is None and item.text:
        return item.text
    return item.label


def _texts(ballot) -> dict[str, dict]:
    return {
        item.code: {"text": item_text(item), "item": item, "body": item.text if item.recommendation_id else ""}
        for item in selectors.ballot_items(ballot=ballot)
    }


def _with_texts(rows: list[dict], texts: dict[str, dict]) -> list[dict]:
    for row in rows:
        found = texts.get(row.get("code") or row.get("item"))
        row["text"] = found["text"] if found else row.get("code") or row.get("item")
        row["item_obj"] = found["item"] if found else None
        row["body"] = found["body"] if found else ""
    return rows


def results_page(*, ballot) -> dict:
    """The results page's content: nothing but the turnout while results are hidden until the ballot closes."""
    data = selectors.ballot_results(ballot=ballot)
    if not ballot.results_shown:
        return {"data": data, "hidden": True, "rows": [], "groups": [], "opinion_groups": []}
    texts = _texts(ballot)
    table = results.readable_table(data)
    _with_texts(table["rows"], texts)
    groups = _opinion_groups(ballot, data)
    for group in groups:
        _with_texts(group["apart"], texts)
    return {"data": data, "hidden": False, **table, "opinion_groups": groups}


def _opinion_groups(ballot, data: dict) -> list[dict]:
    if not data.get("opinion_map") or data["opinion_map"]["clusters"] < 2:
        return []
    closed = ballot.status == BallotStatus.CLOSED
    moment = "closed" if closed else int(time.time()) // selectors.RESULTS_SECONDS
    key = "target87:ballot:{}:{}:{}:opinion-groups:{}".format(*selectors.items_key(ballot), moment)
    groups = cache.get(key)
    if groups is None:
        groups = results.opinion_groups(data, selectors.engine_votes(ballot=ballot))
        cache.set(key, groups, None if closed else selectors.RESULTS_SECONDS * 2)
    return groups


def screen(*, ballot) -> dict:
    """The projector's figures: turnout always; the three columns unless results wait for the closing."""
    data = selectors.ballot_live(ballot=ballot)
    live = {"participants": data["participants"], "votes": data["votes"], "method": data["method"]}
    texts = _texts(ballot)
    live["statements"] = len(texts)
    if ballot.results_shown:
        columns = results.screen_columns(data)
        for column in ("leading", "widest", "divisive"):
            _with_texts(columns[column], texts)
        live.update(columns)
        live["dense"] = _dense(columns)
    return live


#: the most characters a column of the screen lists at the full size of its texts (three statements of about
#: two lines each at 1920×1080)
DENSE_CHARACTERS = 200


def _dense(columns: dict) -> bool:
    """Whether some column lists so much text that its texts are set a little smaller to fit the projector."""
    return any(
        sum(len(entry["text"]) for entry in columns[column]) > DENSE_CHARACTERS
        for column in ("leading", "widest", "divisive")
    )
