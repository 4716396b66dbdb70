from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Sign-in and personal data")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import permissions, retention  # noqa: F401

        # Each app may declare how long it keeps personal data in <app>/retention.py.
        autodiscover_modules("retention")
