"""An award is not applied for with an amount: applications in award rounds keep none."""

from django.db import migrations


def clear_award_amounts(apps, schema_editor):
    Application = apps.get_model("grants", "Application")
    Application.objects.filter(round__program__kind="award", requested_amount__isnull=False).update(
        requested_amount=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0007_reclaim_paid_back_label"),
    ]

    operations = [
        migrations.RunPython(clear_award_amounts, migrations.RunPython.noop),
    ]
