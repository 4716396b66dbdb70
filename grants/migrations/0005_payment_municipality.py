"""A payment carries its municipality, so a municipality's due payments are found by an index.

Filled from each payment's application (its round's program), then made required.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Payment = apps.get_model("grants", "Payment")
    Application = apps.get_model("grants", "Application")
    Payment.objects.filter(municipality__isnull=True).update(
        municipality_id=Subquery(
            Application.objects.filter(pk=OuterRef("application_id")).values("round__program__municipality_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0004_followup_reports_and_reclaims"),
        ("organizations", "0002_organisation_name_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="municipality",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.municipality",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="payment",
            name="municipality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organizations.municipality"
            ),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(fields=["municipality", "state", "due_on"], name="grants_payment_due"),
        ),
    ]
