"""The partnership network as a picture: stakeholder groups on a circle, a line between two groups as thick as
the number of actions they share, each group's circle as large as the number of actions it takes part in.
Each circle carries the group's number in the legend under the picture, which stays readable on a phone. The
layout is computed here and drawn as SVG by the template: no script, nothing from elsewhere."""

from __future__ import annotations

import math

WIDTH = HEIGHT = 460
CENTRE = WIDTH / 2
RING = 160


def layout(data: dict) -> dict:
    """Nodes and edges with their coordinates and sizes, from :func:`selectors.partnerships`."""
    groups = data["groups"]
    if not groups:
        return {"nodes": [], "edges": [], "width": WIDTH, "height": HEIGHT}
    most = max(n for _g, _l, n in groups)
    nodes, where = [], {}
    for index, (group, label, count) in enumerate(groups):
        angle = -math.pi / 2 + 2 * math.pi * index / len(groups)
        x, y = CENTRE + RING * math.cos(angle), CENTRE + RING * math.sin(angle)
        where[group] = (x, y)
        nodes.append(
            {
                "number": index + 1,
                "group": group,
                "label": label,
                "count": count,
                "x": round(x, 1),
                "y": round(y, 1),
                "r": round(14 + 16 * math.sqrt(count / most), 1),
            }
        )
    strongest = max((n for _k, n in data["pairs"]), default=1)
    edges = []
    for (a, b), count in data["pairs"]:
        if a == b:
            continue
        (x1, y1), (x2, y2) = where[a], where[b]
        edges.append(
            {
                "a": a,
                "b": b,
                "count": count,
                "x1": round(x1, 1),
                "y1": round(y1, 1),
                "x2": round(x2, 1),
                "y2": round(y2, 1),
                "w": round(1 + 9 * count / strongest, 1),
            }
        )
    return {"nodes": nodes, "edges": edges, "width": WIDTH, "height": HEIGHT}
