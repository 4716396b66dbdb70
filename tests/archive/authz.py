"""Who may reach the e-archive pages: the program administrators of the committee's municipality."""

from ..authz import Action, Page

ARCHIVISTS = frozenset({"program_admin"})


def exported(world):
    """A finished export of the world's committee (one dismissed application)."""
    if "export_job" in world.objects:
        return world.objects["export_job"]
    from archive.services import export_job_run, export_job_start

    from .conftest import dismissed_application

    application = dismissed_application(world)
    job = export_job_start(
        committee=world.committee, year=application.submitted_at.year, by=world.users["program_admin"]
    )
    world.objects["export_job"] = export_job_run(job_id=job.pk)
    return world.objects["export_job"]


URLS = [
    Page("archive:index", ARCHIVISTS, setup=exported),
    Action(
        "archive:export_start",
        ARCHIVISTS,
        data=lambda w: {"committee": w.committee.pk, "year": 2026},
    ),
    Page("archive:job_download", ARCHIVISTS, kwargs=lambda w: {"pk": exported(w).pk}, html=False),
    Page(
        "archive:package_download",
        ARCHIVISTS,
        kwargs=lambda w: {"pk": exported(w).cases.get().pk},
        html=False,
    ),
]
