from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Committee meetings")

    def ready(self):
        from . import attention, permissions, transitions  # noqa: F401 - rules, panels, steps by name
