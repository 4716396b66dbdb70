"""The REST API under /api/v1/: each app adds its resources in ``<app>/api.py`` with ``register(router)``."""

from importlib import import_module

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

#: the apps whose ``api.py`` adds resources
API_APPS = {
    "organizations",
    "workflows",
    "meetings",
    "grants",
    "payments",
    "awards",
    "reporting",
    "iop",
    "compact",
}

router = DefaultRouter()
for config in apps.get_app_configs():
    if config.name in API_APPS:
        try:
            module = import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.api":
                raise
            continue
        if hasattr(module, "register"):
            module.register(router)

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]
