"""The catalogue of indicators (catalogue.json), and a vintage for every observation stored before vintages."""

import json
from pathlib import Path

from django.db import migrations

CATALOGUE = Path(__file__).resolve().parent.parent / "catalogue.json"


def forwards(apps, schema_editor):
    Series = apps.get_model("indicators", "Series")
    Vintage = apps.get_model("indicators", "Vintage")
    Observation = apps.get_model("indicators", "Observation")
    for position, item in enumerate(json.loads(CATALOGUE.read_text(encoding="utf-8"))["series"]):
        fields = {k: item[k] for k in ("name", "indicator", "kind", "unit", "unit_label", "direction", "target_value",
                                       "target_year", "source", "definition")}  # fmt: skip
        Series.objects.update_or_create(code=item["code"], defaults={**fields, "position": position})
    groups = Observation.objects.filter(vintage__isnull=True).values_list("estimation_id", "source").distinct()
    for estimation_id, source in list(groups):
        vintage = Vintage.objects.create(
            kind="estimation", label=source[:200], estimation_id=estimation_id, published=False
        )
        Observation.objects.filter(vintage__isnull=True, estimation_id=estimation_id, source=source).update(
            vintage=vintage
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_vintages_and_catalogue")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
