"""Committee meetings, generic over case types: services, selectors, documents, pages and permissions.

The models are in ``workflows.meetings_models``; case apps take part through
``workflows.agenda.AgendaAdapter``.
"""
