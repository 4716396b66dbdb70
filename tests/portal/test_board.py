"""The board of needs and initiatives: moderation, answers, expiry, escaping, and the way into a partnership."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from iop.models import Partnership
from portal import services
from portal.models import BoardPost, BoardResponse
from workflows.models import OutboxMessage
from workflows.services import TransitionRefused

from .factories import org_post, post_data

pytestmark = pytest.mark.django_db

BOARD = reverse("portal:board", kwargs={"slug": "exemplo"})


def _post_url(post):
    return reverse("portal:post", kwargs={"slug": "exemplo", "pk": post.pk})


def _log(post):
    return list(StateLog.objects.for_(post).order_by("pk").values_list("transition", "by__email"))


def test_an_organisations_post_is_shown_only_after_staff_approve_it(client, world):
    client.force_login(world.users["applicant"])
    response = client.post(
        reverse("portal:post_new", kwargs={"slug": "exemplo"}),
        {
            **post_data(expires_on=(timezone.localdate() + timedelta(days=30)).isoformat()),
            "organisation": world.organisation.pk,
        },
    )
    post = BoardPost.objects.get()
    assert response.status_code == 302 and post.state == "pending"
    client.logout()
    assert post.title not in client.get(BOARD).content.decode()
    assert client.get(_post_url(post)).status_code == 404

    client.force_login(world.users["secretary"])  # staff may look, but not moderate
    assert client.get(_post_url(post)).status_code == 200
    client.post(
        reverse("portal:post_transition", kwargs={"slug": "exemplo", "pk": post.pk, "name": "approve"})
    )
    post.refresh_from_db()
    assert post.state == "pending"

    client.force_login(world.users["caseworker"])
    client.post(
        reverse("portal:post_transition", kwargs={"slug": "exemplo", "pk": post.pk, "name": "approve"})
    )
    post.refresh_from_db()
    assert post.state == "published"
    assert _log(post) == [("approve", world.users["caseworker"].email)]
    client.logout()
    assert post.title in client.get(BOARD).content.decode()
    assert client.get(_post_url(post)).status_code == 200


def test_a_post_by_the_municipality_is_published_at_once_and_logged(world):
    post = services.board_post_create(
        municipality=world.municipality,
        organisation=None,
        data=post_data(kind="need", title="Vi söker helgaktiviteter för unga"),
        by=world.users["caseworker"],
    )
    assert post.state == "published"
    assert _log(post) == [("approve", world.users["caseworker"].email)]


def test_only_staff_post_for_the_municipality_and_organisations_only_where_they_are_active(client, world):
    with pytest.raises(PermissionDenied):
        services.board_post_create(
            municipality=world.municipality, organisation=None, data=post_data(), by=world.users["applicant"]
        )
    client.force_login(world.users["other_applicant"])  # Grannby IF is not active in Exempelö
    assert client.get(reverse("portal:post_new", kwargs={"slug": "exemplo"})).status_code == 403


def test_staff_hide_a_published_post_with_a_reason_and_the_poster_sees_why(client, world):
    post = org_post(world)
    with pytest.raises(Exception, match="Say why|Ange varför|Skriv varför"):
        services.board_post_transition(post=post, name="hide", by=world.users["caseworker"], reason=" ")
    services.board_post_transition(
        post=post,
        name="hide",
        by=world.users["caseworker"],
        reason="Innehåller en privatpersons telefonnummer.",
    )
    assert post.title not in client.get(BOARD).content.decode()
    assert client.get(_post_url(post)).status_code == 404
    client.force_login(world.users["applicant"])
    assert "Innehåller en privatpersons telefonnummer." in client.get(_post_url(post)).content.decode()
    assert OutboxMessage.objects.filter(
        to=world.users["applicant"].email, key__startswith="portal:post-hide"
    ).exists()


def test_an_expired_post_leaves_the_public_board_and_the_nightly_task_logs_it(client, world, travel):
    post = org_post(world, expires_on=timezone.localdate() + timedelta(days=3))
    assert post.title in client.get(BOARD).content.decode()
    travel(timezone.localdate() + timedelta(days=5))
    assert post.title not in client.get(BOARD).content.decode()  # the query filter, before the task ran
    assert client.get(_post_url(post)).status_code == 404
    from portal.tasks import board_expire_due

    assert board_expire_due.delay().get() == 1
    assert services.board_posts_expire() == 0  # safe to run twice
    post.refresh_from_db()
    assert post.state == "expired"
    assert _log(post)[-1] == ("expire", "system@bidra.invalid")


def test_the_poster_closes_a_post(client, world):
    post = org_post(world)
    client.force_login(world.users["applicant"])
    client.post(reverse("portal:post_transition", kwargs={"slug": "exemplo", "pk": post.pk, "name": "close"}))
    post.refresh_from_db()
    assert post.state == "closed"
    client.logout()
    assert post.title not in client.get(BOARD).content.decode()


def test_a_script_in_a_post_is_shown_as_text(client, world):
    script = "<script>alert('hej')</script>"
    post = org_post(
        world, title=f"Kom {script}", body=f"Vi {script} bjuder på fika", area=script, contact=script
    )
    for html in (client.get(BOARD).content.decode(), client.get(_post_url(post)).content.decode()):
        assert script not in html
        assert "&lt;script&gt;alert(&#x27;hej&#x27;)&lt;/script&gt;" in html


def test_an_answer_reaches_the_poster_and_staff_but_is_never_public(
    client, world, django_capture_on_commit_callbacks
):
    post = org_post(world)
    client.force_login(world.users["other_applicant"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:post_respond", kwargs={"slug": "exemplo", "pk": post.pk}),
            {
                "message": "Vi har volontärer som kan hjälpa till.",
                "contact": "kansli@grannby-if.example",
                "organisation": world.other_organisation.pk,
            },
        )
    assert response.status_code == 302
    answer = BoardResponse.objects.get()
    assert answer.organisation == world.other_organisation
    assert OutboxMessage.objects.filter(
        to=world.users["applicant"].email, key=f"portal:response:{answer.pk}"
    ).exists()
    for role, sees in [
        ("applicant", True),
        ("caseworker", True),
        ("member", True),
        ("other_applicant", False),
    ]:
        client.force_login(world.users[role])
        assert ("kansli@grannby-if.example" in client.get(_post_url(post)).content.decode()) is sees, role
    client.logout()
    assert "kansli@grannby-if.example" not in client.get(_post_url(post)).content.decode()
    client.force_login(world.users["applicant"])
    response = client.post(
        reverse("portal:post_respond", kwargs={"slug": "exemplo", "pk": post.pk}),
        {"message": "x", "contact": "y"},
    )
    assert response.status_code == 403  # one does not answer one's own post


def test_a_caseworker_turns_an_initiative_into_a_partnership_initiative_and_both_keep_the_link(client, world):
    post = org_post(world)
    client.force_login(world.users["caseworker"])
    url = reverse("portal:post_refer", kwargs={"slug": "exemplo", "pk": post.pk})
    form = client.get(url)
    assert form.status_code == 200 and form.context["form"]["title"].value() == post.title
    response = client.post(
        url,
        {
            "committee": world.committee.pk,
            "title": "Språkcafé",
            "social_need": "Nyanlända saknar platser att öva svenska.",
            "proposed_solution": "Ett språkcafé två gånger i veckan.",
            "target_group": "Nyanlända vuxna",
            "organisation_brings": "Volontärer och lokal.",
            "municipality_asked": "Hjälp att nå målgruppen.",
            "political_goal": "Integrationsplanen.",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    partnership = Partnership.objects.get()
    assert post.state == "referred" and post.partnership == partnership
    assert partnership.case_number and partnership.organisation == world.organisation
    assert partnership.board_post == post
    assert _log(post)[-1] == ("refer", world.users["caseworker"].email)
    assert partnership.case_number in client.get(_post_url(post)).content.decode()
    detail = client.get(reverse("iop:detail", kwargs={"pk": partnership.pk})).content.decode()
    assert _post_url(post) in detail
    # it is no longer on the public board, and cannot be referred twice
    client.logout()
    assert client.get(_post_url(post)).status_code == 404
    with pytest.raises((TransitionRefused, Exception)):
        services.board_post_refer(post=post, committee=world.committee, data={}, by=world.users["caseworker"])
    assert Partnership.objects.count() == 1


def test_a_need_cannot_become_a_partnership_initiative(world):
    post = org_post(world, kind="need", key="need")
    with pytest.raises(TransitionRefused):
        services.board_post_refer(
            post=post,
            committee=world.committee,
            data={
                k: "x"
                for k in (
                    "title",
                    "social_need",
                    "proposed_solution",
                    "target_group",
                    "organisation_brings",
                    "municipality_asked",
                    "political_goal",
                )
            },
            by=world.users["caseworker"],
        )
    assert not Partnership.objects.exists()


def test_staff_point_a_post_to_a_program_and_everyone_sees_the_suggestion(client, world):
    from .factories import program

    post = org_post(world)
    client.force_login(world.users["program_admin"])
    client.post(
        reverse("portal:post_program", kwargs={"slug": "exemplo", "pk": post.pk}),
        {"program": program(world).pk},
    )
    client.logout()
    assert program(world).name in client.get(_post_url(post)).content.decode()


def test_the_board_costs_the_same_queries_with_many_posts(client, world):
    def add(n, start):
        for i in range(n):
            org_post(world, key=f"p{start + i}", title=f"Inlägg {start + i}")

    add(2, 0)
    client.get(BOARD)
    with CaptureQueriesContext(connection) as few:
        client.get(BOARD)
    add(25, 10)
    with CaptureQueriesContext(connection) as many:
        client.get(BOARD)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_moderators_see_on_their_start_page_how_many_posts_wait(client, world):
    org_post(world, state="pending")
    client.force_login(world.users["caseworker"])
    html = client.get(reverse("home")).content.decode()
    assert "1 inlägg väntar på granskning" in html
    assert reverse("portal:moderation", kwargs={"slug": "exemplo"}) in html
    client.force_login(world.users["other_caseworker"])
    assert "0 inlägg väntar på granskning" in client.get(reverse("home")).content.decode()
