from django.apps import AppConfig


class CaseAppConfig(AppConfig):
    """A test-only case type that proves the meeting engine works on any case model."""

    name = "tests.workflows.caseapp"
    label = "caseapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from meetings.agenda import register_agenda_adapter

        from .adapter import MatterAgenda

        register_agenda_adapter(MatterAgenda())
