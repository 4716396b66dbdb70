from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("E-archive")

    def ready(self):
        from . import permissions, retention  # noqa: F401 - rules; the culling of archived cases
        from .adapters import register_archive_adapter
        from .cases import ApplicationArchive, MeetingArchive, PartnershipArchive

        register_archive_adapter(ApplicationArchive())
        register_archive_adapter(PartnershipArchive())
        register_archive_adapter(MeetingArchive())
