"""Proposed statements are kept once per ballot under a digest of the statement as compared (without case a
statement can grow longer than the 280 characters it was checked against)."""

from django.db import migrations, models


def digest_keys(apps, schema_editor):
    from target87.priorities.services import proposal_key

    StatementProposal = apps.get_model("priorities", "StatementProposal")
    for proposal in StatementProposal.objects.only("pk", "text"):
        StatementProposal.objects.filter(pk=proposal.pk).update(key=proposal_key(proposal.text))


class Migration(migrations.Migration):
    dependencies = [
        ("priorities", "0003_statement_proposals"),
    ]

    operations = [
        migrations.RunPython(digest_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="statementproposal",
            name="key",
            field=models.CharField(max_length=64),
        ),
    ]
