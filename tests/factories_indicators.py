"""Survey files and statisticians for the indicator tests: small generated surveys, written as real files."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factories import UserFactory
from target87.indicators.rules import STATISTICIANS_GROUP
from target87.indicators.samples import COLUMNS, example_survey

SMALL = {"clusters_per_stratum": 4, "children_per_cluster": 12, "seed": 7}


def statistician(**kwargs):
    user = UserFactory(**kwargs)
    group, _created = Group.objects.get_or_create(name=STATISTICIANS_GROUP)
    user.groups.add(group)
    return user


def survey(**overrides) -> dict[str, list]:
    """A small stratified cluster survey (4 strata × 4 clusters × 12 children, ages 3–18)."""
    return example_survey(**{**SMALL, **overrides})


def csv_bytes(data: dict[str, list], columns=None) -> bytes:
    import csv
    import io

    columns = list(columns or data)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(zip(*(data[c] for c in columns), strict=True))
    return buf.getvalue().encode("utf-8")


def csv_upload(data: dict[str, list] | None = None, name: str = "survey.csv", columns=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(data or survey(), columns), content_type="text/csv")


def labelled_frame(data: dict[str, list]):
    """The survey with sex and area as numeric codes (1/2) carrying value labels, as in SPSS and Stata files."""
    import pandas as pd

    frame = pd.DataFrame({c: data[c] for c in COLUMNS})
    frame["sex"] = frame["sex"].map({"male": 1, "female": 2}).astype(float)
    frame["area"] = frame["area"].map({"urban": 1, "rural": 2}).astype(float)
    frame["stratum"] = frame["stratum"].astype(str)
    frame["psu"] = frame["psu"].astype(str)
    labels = {"sex": {1.0: "Male", 2.0: "Female"}, "area": {1.0: "Urban", 2.0: "Rural"}}
    variable_labels = {
        "sex": "Sex of the child",
        "area": "Area of residence",
        "weight": "Child's sample weight",
        "age": "Age of the child",
        "econ_hours": "Hours of economic activity last week",
        "chore_hours": "Hours of household chores last week",
        "hazardous": "Hazardous conditions",
        "stratum": "Stratum",
        "psu": "Cluster",
    }
    return frame, labels, variable_labels


def spss_file(path: Path, data: dict[str, list] | None = None, rename: dict[str, str] | None = None) -> Path:
    import pyreadstat

    frame, labels, variable_labels = labelled_frame(data or survey())
    if rename:
        frame = frame.rename(columns=rename)
        labels = {rename.get(k, k): v for k, v in labels.items()}
        variable_labels = {rename.get(k, k): v for k, v in variable_labels.items()}
    pyreadstat.write_sav(
        frame, str(path), column_labels=[variable_labels.get(c, c) for c in frame.columns], variable_value_labels=labels
    )
    return path


def stata_file(path: Path, data: dict[str, list] | None = None) -> Path:
    import pyreadstat

    frame, labels, variable_labels = labelled_frame(data or survey())
    pyreadstat.write_dta(
        frame, str(path), column_labels=[variable_labels[c] for c in frame.columns], variable_value_labels=labels
    )
    return path


def upload_path(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/octet-stream")


def form_data(estimation, **overrides) -> dict:
    """What the configure page posts when the statistician accepts what it proposes, changed by ``overrides``."""
    data = {role: value for role, value in estimation.mapping.items()}
    data.update(
        definition=estimation.definition or "sdg",
        rule_43="ge",
        tables=["sex", "age_group", "area"],
        missing_hours=estimation.options.get("missing_hours", "error"),
        lonely_psu="fail",
        ci_method="logit",
        level="0.95",
        population="",
        ref_area="THA",
        year="2019",
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def upload(client, file):
    """Upload through the page; the new estimation."""
    from target87.indicators.models import Estimation

    response = client.post(reverse("indicators:upload"), {"file": file})
    assert response.status_code == 302, response.content.decode()
    return Estimation.objects.get(uuid=response["Location"].rstrip("/").split("/")[-1])
