"""The Bangkok demonstration's indicators: illustrative country data for the sub-region, and real regional figures.

The country figures are ILLUSTRATIVE: made up for the demonstration, in plausible ranges, and marked as such on
every page that shows them (their vintages are flagged illustrative). They are not the countries' statistics.
Two illustrative releases are loaded, the second revising a few values and adding a year, so that the page
comparing vintages has something to show.

The regional figures are the published ones, with their sources: the ILO–UNICEF global estimates of child
labour for Asia and the Pacific (7.4 % of children aged 5–17 in 2016, 5.6 % in 2020) and the Global Estimates of
Modern Slavery for forced labour in Asia and the Pacific (3.5 per 1,000 people in 2021). They are stored under
the code ILO_AP (the ILO region has no UN M49 number) and shown as reference figures on the sub-region page.

Idempotent: a vintage with the same label is not loaded again.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from target87.engines import sdmx
from target87.indicators.catalogue import catalogue_load
from target87.indicators.enums import VintageKind
from target87.indicators.imports import records_store
from target87.indicators.models import Vintage

ILLUSTRATIVE_SOURCE = "Illustrative data for the demonstration (not official statistics)"
RELEASES = ("Illustrative country data, release 1", "Illustrative country data, release 2 (revised)")
REGIONAL = "Published regional estimates (ILO–UNICEF 2017 and 2021; ILO, Walk Free and IOM 2022)"

#: country → (child labour % in 2012, change per year in points, half-width of the 95 % interval in points,
#: children aged 5–17 in thousands, years with a survey); all illustrative
COUNTRIES = {
    "MNG": (14.0, -0.55, 1.6, 780, (2012, 2016, 2019, 2022)),
    "MMR": (11.5, -0.30, 1.9, 11900, (2015, 2020)),
    "LAO": (26.0, -1.10, 2.4, 1830, (2012, 2017, 2021)),
    "VNM": (9.8, -0.45, 0.9, 17100, (2012, 2018, 2022)),
    "THA": (8.3, -0.50, 0.8, 9800, (2012, 2015, 2019, 2022)),
    "KHM": (19.0, -0.95, 1.7, 4100, (2012, 2016, 2019, 2022)),
    "PHL": (9.6, -0.30, 0.7, 30500, (2011, 2017, 2021)),
    "MYS": (3.2, -0.10, 0.6, 7400, (2012, 2018)),
    "IDN": (7.0, -0.25, 0.5, 66500, (2012, 2016, 2019, 2022)),
    "TLS": (12.5, -0.20, 2.2, 430, (2013, 2016, 2020)),
    "PNG": (31.0, -0.40, 3.5, 2600, (2012, 2018)),
    "FJI": (13.0, -0.60, 2.0, 210, (2013, 2021)),
}
#: ratification years shown for the demonstration (illustrative; NORMLEX holds the real ones)
RATIFICATIONS = {
    "THA": {"ILO_RATIF_C029": 1969, "ILO_RATIF_C105": 1969, "ILO_RATIF_C138": 2004, "ILO_RATIF_C182": 2001,
            "ILO_RATIF_P029": 2018},
    "KHM": {"ILO_RATIF_C029": 1969, "ILO_RATIF_C105": 1999, "ILO_RATIF_C138": 1999, "ILO_RATIF_C182": 2006},
    "VNM": {"ILO_RATIF_C029": 2007, "ILO_RATIF_C105": 2020, "ILO_RATIF_C138": 2003, "ILO_RATIF_C182": 2000},
}  # fmt: skip
#: detected victims of trafficking (illustrative)
VICTIMS = {"THA": ((2016, 824), (2019, 868), (2022, 611)), "KHM": ((2016, 160), (2019, 210), (2022, 190))}


def _country_records(release: int) -> list[sdmx.Record]:
    records = []
    for code, (start, slope, half, population, years) in COUNTRIES.items():
        years = years if release == 2 else years[:-1]
        for year in years:
            value = round(max(0.4, start + slope * (year - 2012)), 1)
            if release == 2 and year == years[-2]:
                value = round(value + 0.3, 1)  # the revision of the second release
            width = round(half * (1.1 if year < 2015 else 1.0), 1)
            records.append(sdmx.Record("SL_TLF_CHLDEC", code, str(year), value, age="Y5T17",
                                       lower=round(max(0.0, value - width), 1), upper=round(value + width, 1),
                                       unit="PT", nature="C", source=ILLUSTRATIVE_SOURCE))  # fmt: skip
        records.append(sdmx.Record("SP_POP_5T17", code, "2020", float(population), unit="NUMBER", nature="E",
                                   source=ILLUSTRATIVE_SOURCE))  # fmt: skip
    for code, ratified in RATIFICATIONS.items():
        for series, year in ratified.items():
            records.append(sdmx.Record(series, code, str(year), 1.0, unit="RATIF", nature="C",
                                       source=ILLUSTRATIVE_SOURCE))  # fmt: skip
    for code, points in VICTIMS.items():
        for year, number in points:
            records.append(sdmx.Record("VC_HTF_DETV", code, str(year), float(number), unit="NUMBER", nature="C",
                                       source=ILLUSTRATIVE_SOURCE))  # fmt: skip
    records.append(sdmx.Record("SL_TLF_CHLDEC", "LAO", "2023", None, value_text="NA", age="Y5T17", unit="PT",
                               source=ILLUSTRATIVE_SOURCE))  # fmt: skip
    for line, record in enumerate(records, start=1):
        record.line = line
    return records


def _regional_records() -> list[sdmx.Record]:
    child = "ILO and UNICEF, Child Labour: Global estimates {year}"
    records = [
        sdmx.Record("SL_TLF_CHLDEC", "ILO_AP", "2016", 7.4, age="Y5T17", unit="PT", nature="E",
                    source="ILO, Global estimates of child labour: Results and trends, 2012–2016 (2017)"),
        sdmx.Record("SL_TLF_CHLDEC", "ILO_AP", "2020", 5.6, age="Y5T17", unit="PT", nature="E",
                    source=child.format(year="2020, trends and the road forward (2021)")),
        sdmx.Record("ILO_FL_PREV", "ILO_AP", "2021", 3.5, unit="PER_1000", nature="E",
                    source="ILO, Walk Free and IOM, Global Estimates of Modern Slavery: Forced Labour and Forced "
                           "Marriage (2022)"),
    ]  # fmt: skip
    for line, record in enumerate(records, start=1):
        record.line = line
    return records


def load(*, consultation=None, stdout=None) -> None:
    from target87.demo.bangkok import CONVENER_USERNAME

    say = stdout.write if stdout else lambda *_: None
    actor = get_user_model().objects.filter(username=CONVENER_USERNAME).first()
    catalogue_load()
    loads = [(RELEASES[0], _country_records(1), True), (RELEASES[1], _country_records(2), True),
             (REGIONAL, _regional_records(), False)]  # fmt: skip
    for label, records, illustrative in loads:
        if Vintage.objects.filter(kind=VintageKind.DEMO, label=label).exists():
            continue
        records_store(actor=actor, records=records, kind=VintageKind.DEMO, label=label, illustrative=illustrative)
        say(f"Indicators: {len(records)} observations as the vintage “{label}”.\n")
