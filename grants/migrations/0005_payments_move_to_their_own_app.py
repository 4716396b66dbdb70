"""Grant payments and payment runs move to the ``payments`` app: rows are copied with their ids
(so links, files and the transition log keep pointing at them), then the old tables are dropped."""

from django.db import migrations

PAYMENT_FIELDS = [
    "decision_id", "municipality_id", "instalment", "instalments", "amount", "due_on", "state",
    "organisation_name", "org_number", "account_type", "account_number", "reference", "batch_id",
    "paid_on", "created_at",
]
BATCH_FIELDS = [
    "municipality_id", "created_at", "created_by_id", "state", "due_until", "count", "total", "left_out",
    "file_format", "message_id", "payment_file", "exported_at",
]


def _content_type(ContentType, app_label, model):
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _move_log(apps, old, new):
    """The transition log of the moved rows now names their new model (ids are unchanged)."""
    try:
        StateLog = apps.get_model("django_fsm_log", "StateLog")
    except LookupError:
        return
    StateLog.objects.filter(content_type_id=old.pk).update(content_type_id=new.pk)


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldBatch = apps.get_model("grants", "PaymentBatch")
    OldPayment = apps.get_model("grants", "Payment")
    Batch = apps.get_model("payments", "PaymentBatch")
    Payment = apps.get_model("payments", "Payment")
    if not OldBatch.objects.exists() and not OldPayment.objects.exists():
        return
    Batch.objects.bulk_create(
        Batch(pk=old.pk, **{f: getattr(old, f) for f in BATCH_FIELDS}) for old in OldBatch.objects.order_by("pk")
    )
    application = _content_type(ContentType, "grants", "application")
    Payment.objects.bulk_create(
        Payment(
            pk=old.pk,
            content_type_id=application.pk,
            object_id=old.application_id,
            period="",
            **{f: getattr(old, f) for f in PAYMENT_FIELDS},
        )
        for old in OldPayment.objects.order_by("pk")
    )
    for model in ("payment", "paymentbatch"):
        _move_log(
            apps,
            _content_type(ContentType, "grants", model),
            _content_type(ContentType, "payments", model),
        )
    if schema_editor.connection.vendor == "postgresql":
        # rows inserted with their ids: the sequences continue after them
        with schema_editor.connection.cursor() as cursor:
            for table in ("payments_payment", "payments_paymentbatch"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )


class Migration(migrations.Migration):

    dependencies = [
        ("grants", "0004_payment_runs_and_ledger_codes"),
        ("payments", "0001_initial"),
        ("django_fsm_log", "__latest__"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="paymentbatch",
            name="created_by",
        ),
        migrations.RemoveField(
            model_name="paymentbatch",
            name="municipality",
        ),
        migrations.DeleteModel(
            name="Payment",
        ),
        migrations.DeleteModel(
            name="PaymentBatch",
        ),
    ]
