"""Background work of the archive.  Each task loads ids, calls a service and is safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True)
def archive_export_run(job_id: int) -> int:
    from .services import export_job_run

    return export_job_run(job_id=job_id).done
