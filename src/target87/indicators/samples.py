"""A small example survey of children, generated, so that anyone can try the estimation page.

Stratified (two regions × urban/rural), clustered (villages or blocks), weighted; ages 3 to 18 so that
the page shows the children outside 5–17 being left out. Its names are the engine's default ones. The
numbers are invented and mean nothing about any country.
"""

from __future__ import annotations

import csv
import io

import numpy as np

COLUMNS = ("stratum", "psu", "weight", "age", "sex", "area", "econ_hours", "chore_hours", "hazardous")


def example_survey(*, clusters_per_stratum: int = 12, children_per_cluster: int = 20, seed: int = 87) -> dict:
    """Column → list of values."""
    rng = np.random.default_rng(seed)
    out: dict[str, list] = {c: [] for c in COLUMNS}
    strata = [("north-urban", "urban"), ("north-rural", "rural"), ("south-urban", "urban"), ("south-rural", "rural")]
    for s, (stratum, area) in enumerate(strata):
        rural = area == "rural"
        for c in range(clusters_per_stratum):
            psu = f"{stratum}-{c + 1:02d}"
            cluster_effect = rng.normal(0, 0.6)
            weight = round(float(rng.uniform(80, 220) * (1.6 if rural else 1.0)), 3)
            for _k in range(children_per_cluster):
                age = int(rng.integers(3, 19))
                sex = "female" if rng.random() < 0.49 else "male"
                propensity = -2.2 + (0.9 if rural else 0) + 0.12 * (age - 10) + cluster_effect + 0.2 * s
                works = rng.random() < 1 / (1 + np.exp(-propensity))
                econ = float(rng.choice([1, 2, 5, 10, 14, 20, 30, 43, 50])) if works else 0.0
                chores = float(np.round(rng.gamma(2.0, 5.0 + (4 if sex == "female" else 0)), 1))
                hazardous = int(works and rng.random() < 0.3)
                for key, value in zip(
                    COLUMNS, (stratum, psu, weight, age, sex, area, econ, chores, hazardous), strict=True
                ):
                    out[key].append(value)
    return out


def example_survey_csv(**kwargs) -> bytes:
    data = example_survey(**kwargs)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(zip(*(data[c] for c in COLUMNS), strict=True))
    return buf.getvalue().encode("utf-8")
