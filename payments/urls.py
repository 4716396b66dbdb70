from django.urls import path

from workflows.views import transition

from . import views

app_name = "payments"

urlpatterns = [
    path("utbetalningar/", views.payments, name="payments"),
    path("utbetalningar/exportera/", views.payments_export, name="payments_export"),
    path("utbetalningar/filer/<int:pk>/", views.payment_batch, name="payment_batch"),
    path("utbetalningar/filer/<int:pk>/csv/", views.payment_batch_csv, name="payment_batch_csv"),
    path("utbetalningar/filer/<int:pk>/utbetald/", views.payment_batch_paid, name="payment_batch_paid"),
    path("utbetalningar/filer/<int:pk>/exportera/", views.payment_run_export, name="payment_run_export"),
    path("utbetalningar/filer/<int:pk>/avbryt/", views.payment_run_cancel, name="payment_run_cancel"),
    path("utbetalningar/filer/<int:pk>/betalningsfil.xml", views.payment_run_file, name="payment_run_file"),
    path(
        "utbetalningar/<int:pk>/steg/<str:name>/",
        transition,
        {"case_model": "payments.Payment"},
        name="payment_transition",
    ),
    # a partnership's contribution, marked paid from the partnership's payments
    path(
        "partnerskap/utbetalning/<int:pk>/betala/",
        transition,
        {"case_model": "payments.Payment", "name": "pay"},
        name="payment_pay",
    ),
]
