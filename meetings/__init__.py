"""Committee meetings, generic over case types: services, selectors, documents, pages and permissions.

The models are in ``meetings.models``; case apps take part through
``meetings.agenda.AgendaAdapter``.
"""
