"""A partnership's payments become ``payments.Payment`` rows (with the partnership as their case and
the period kept); their transition log follows them; then the old table is dropped."""

from django.db import migrations


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Old = apps.get_model("iop", "PartnershipPayment")
    Payment = apps.get_model("payments", "Payment")
    if not Old.objects.exists():
        return
    partnership = ContentType.objects.get_or_create(app_label="iop", model="partnership")[0]
    old_type = ContentType.objects.get_or_create(app_label="iop", model="partnershippayment")[0]
    new_type = ContentType.objects.get_or_create(app_label="payments", model="payment")[0]
    try:
        StateLog = apps.get_model("django_fsm_log", "StateLog")
    except LookupError:
        StateLog = None
    for old in Old.objects.select_related("partnership__organisation", "partnership__committee").order_by("pk"):
        case = old.partnership
        organisation = case.organisation
        new = Payment.objects.create(
            content_type_id=partnership.pk,
            object_id=case.pk,
            decision=None,
            period=old.period,
            municipality_id=case.committee.municipality_id,
            instalment=1,
            instalments=1,
            amount=old.amount,
            due_on=old.paid_on or old.created_at.date(),
            state=old.state,
            organisation_name=organisation.name,
            org_number=organisation.org_number,
            account_type=old.account_type or organisation.account_type,
            account_number=old.account_number or organisation.account_number,
            reference=f"{case.case_number} {old.period}"[:60],
            paid_on=old.paid_on,
            created_by_id=old.created_by_id,
            created_at=old.created_at,
        )
        if StateLog is not None:
            StateLog.objects.filter(content_type_id=old_type.pk, object_id=old.pk).update(
                content_type_id=new_type.pk, object_id=new.pk
            )


class Migration(migrations.Migration):

    dependencies = [
        ("iop", "0001_initial"),
        ("payments", "0001_initial"),
        ("grants", "0005_payments_move_to_their_own_app"),
        ("django_fsm_log", "__latest__"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="PartnershipPayment",
        ),
    ]
