from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Case engine")

    def ready(self):
        from .storage import connect_file_cleanup

        connect_file_cleanup()
