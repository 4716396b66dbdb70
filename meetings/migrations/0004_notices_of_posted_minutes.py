"""Minutes posted before the notice board existed get their notice, as posting makes it now."""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def create_notices(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Notice = apps.get_model("meetings", "Notice")
    ContentType = apps.get_model("contenttypes", "ContentType")
    StoredDocument = apps.get_model("workflows", "StoredDocument")
    meeting_type = ContentType.objects.filter(app_label="meetings", model="meeting").first()
    posted = (
        Meeting.objects.filter(posted_on__isnull=False, appeal_ends_on__isnull=False, notice__isnull=True)
        .select_related("committee__municipality")
        .order_by("pk")
    )
    for meeting in posted.iterator():
        minutes = None
        if meeting_type is not None:
            minutes = (
                StoredDocument.objects.filter(content_type=meeting_type, object_id=meeting.pk, kind="minutes")
                .order_by("-version")
                .first()
            )
        day = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
        committee = meeting.committee.name
        # the words meetings.services.notices writes, in Swedish like every notice
        Notice.objects.create(
            municipality_id=meeting.committee.municipality_id,
            kind="minutes",
            meeting=meeting,
            document=minutes,
            title=f"Protokoll, {committee}, sammanträdet {day}",
            body=(
                f"Protokollet från {committee} är justerat. Förvaringsplats: {meeting.minutes_kept_at}. "
                "Ett överklagande genom laglighetsprövning ska ha kommit in till förvaltningsrätten "
                f"senast {meeting.appeal_ends_on:%Y-%m-%d}."
            ),
            posted_on=meeting.posted_on,
            taken_down_on=meeting.appeal_ends_on + dt.timedelta(days=1),
            posted_by_id=meeting.secretary_id or meeting.created_by_id,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_notices"),
        ("workflows", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_notices, migrations.RunPython.noop)]
