"""The yardstick for a submission: the smallest signed-in Django form POST that inserts one row.

``bench.run`` serves Bidra with ``ROOT_URLCONF = "bench.baseline"`` during the submissions, so
the same gunicorn, middleware, session, CSRF check and database connection answer both the
application's "Skicka in" and ``POST /bench/minimal/``: a form with one field, validated, one
row inserted (a group with a unique name), a redirect.  A submission's cost is reported as a
multiple of this request's, measured in the same run.  Never part of a deployment.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

#: the prefix of the rows the baseline inserts (``bench.run`` removes them afterwards)
PREFIX = "bench-minimal-"


class MinimalForm(forms.Form):
    name = forms.CharField(max_length=150)


@login_required
def minimal(request):
    if request.method == "POST":
        form = MinimalForm(request.POST)
        if form.is_valid():
            Group.objects.create(name=PREFIX + form.cleaned_data["name"])
            return redirect("bench-minimal")
        return HttpResponse(status=400)
    return HttpResponse("ok")


urlpatterns = [
    path("bench/minimal/", minimal, name="bench-minimal"),
    path("", include("config.urls")),
]
