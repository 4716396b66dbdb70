from ..authz import EVERYONE, SIGNED_IN, Page

ORG_VIEWERS = frozenset({"applicant", "caseworker", "secretary", "member", "program_admin"})

URLS = [
    Page("api:schema", EVERYONE, html=False),
    Page("api:api-root", SIGNED_IN, html=False),
    Page("api:organization-list", SIGNED_IN, html=False),
    Page("api:organization-detail", ORG_VIEWERS, kwargs=lambda w: {"pk": w.organisation.pk}, html=False),
]
