from django.urls import path

from workflows.views import transition

from . import views

app_name = "iop"

urlpatterns = [
    path("partnerskap/", views.partnership_list, name="list"),
    path("partnerskap/oversikt/", views.overview, name="overview"),
    path("partnerskap/nytt/", views.partnership_new, name="new"),
    path("partnerskap/<int:pk>/", views.partnership_detail, name="detail"),
    path("partnerskap/<int:pk>/andra/", views.partnership_edit, name="edit"),
    path(
        "partnerskap/<int:pk>/steg/<str:name>/",
        transition,
        {"case_model": "iop.Partnership"},
        name="transition",
    ),
    path("partnerskap/<int:pk>/provning/", views.screening, name="screening"),
    path("partnerskap/<int:pk>/provning/slutsats/", views.screening_conclude, name="screening_conclude"),
    path("partnerskap/<int:pk>/avtal/", views.agreement_edit, name="agreement_edit"),
    path("partnerskap/<int:pk>/avtal/jamfor/", views.agreement_compare, name="compare"),
    path("partnerskap/<int:pk>/avtal/<int:number>/", views.agreement_version, name="version"),
    path("partnerskap/<int:pk>/dokument/<int:doc>/", views.document_download, name="document"),
    path("partnerskap/<int:pk>/delegationsbeslut/", views.delegated_decision, name="delegated_decision"),
    path("partnerskap/<int:pk>/underteckna/<str:party>/", views.sign, name="sign"),
    path("partnerskap/<int:pk>/avsluta/", views.terminate, name="terminate"),
    path("partnerskap/<int:pk>/styrgrupp/", views.steering_meetings, name="steering"),
    path("partnerskap/<int:pk>/uppfoljning/<int:year>/", views.follow_up, name="follow_up"),
    path("partnerskap/<int:pk>/utvardering/", views.evaluation, name="evaluation"),
    path("partnerskap/<int:pk>/utbetalningar/", views.payments, name="payments"),
]
