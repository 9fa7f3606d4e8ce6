"""The group “statisticians” (who may estimate indicators) and the SDG series of the child-labour presets."""

from django.db import migrations

SERIES = {
    "SL_TLF_CHLDEC": "Proportion of children aged 5-17 years engaged in child labour (general production boundary)",
    "SL_TLF_CHLDEA": "Proportion of children aged 5-17 years engaged in child labour (SNA production boundary)",
}


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Series = apps.get_model("indicators", "Series")
    Group.objects.get_or_create(name="statisticians")
    for code, name in SERIES.items():
        Series.objects.get_or_create(code=code, defaults={"name": name, "unit": "PT", "indicator": "8.7.1"})


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Series = apps.get_model("indicators", "Series")
    Group.objects.filter(name="statisticians", user__isnull=True).delete()
    Series.objects.filter(code__in=SERIES, observations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
