"""Journey 7: the local compact (överenskommelse) from draft to the end of its term.

The caseworker drafts the compact and records the council's adopting decision, the organisation
joins it on the public page, the action plan and the yearly conference are kept, the organisation
leaves, the managers are reminded before the evaluation in year four and record it, and a decision
not to renew lets the compact end with its term.
"""

import datetime as dt

import pytest

from compact.models import Compact, Principle
from compact.tasks import compact_run_due
from workflows.models import OutboxMessage

from ..conftest import build_world
from ..pdf import tiny_pdf

pytestmark = pytest.mark.django_db(transaction=True)

PDF = tiny_pdf()


def submit(person, form: str):
    """Press the button of the manage page's form ``form`` (the page has one form per task)."""
    person.page.locator(f"form:has(input[name=form][value={form}]) button[type=submit]").click()
    person.page.wait_for_load_state()
    person.check(f"submit {form}")
    return person


def test_a_compact_is_drafted_adopted_joined_followed_up_evaluated_and_ends(journey, clock):
    world = build_world()
    clock.travel(dt.date(2026, 2, 1))
    caseworker = journey.person(world.user("caseworker")).sign_in()
    slug = world.municipality.slug

    # Drafted: the text, the term, the renewal rule and the six principles in local wording.
    caseworker.open(f"/overenskommelse/{slug}/hantera/").sees("Skriv överenskommelsen").look()
    caseworker.fill("Rubrik", "Överenskommelsen i Exempelö")
    caseworker.fill("Överenskommelsens text", "Kommunen och den idéburna sektorn samverkar för invånarna.")
    caseworker.tick("förnyas endast genom ett nytt beslut")
    for key, _label in Principle.Key.choices:
        caseworker.page.locator(f"[name=principle_{key}]").fill(
            f"Så här lever vi principen {key} i Exempelö."
        )
    caseworker.click("Spara utkastet").sees("Hantera överenskommelsen", "utkast").look()

    # Adopted by the council's decision: in force for four years.
    caseworker.fill("Antagen den", "2026-02-20").fill(
        "Beslut om antagande (hänvisning)", "KF 2026-02-20 § 12"
    )
    submit(caseworker, "adopt").sees("gäller", "2026-02-20 – 2030-02-20", "2029-02-20")
    compact = Compact.objects.get()
    assert (compact.state, compact.term_end) == ("in_force", dt.date(2030, 2, 20))

    # An organisation joins on the public page.
    applicant = journey.person(world.user("applicant")).sign_in()
    applicant.open(f"/overenskommelse/{slug}/").sees("Överenskommelsen i Exempelö").look()
    applicant.click("Anslut").sees("Lämna överenskommelsen")
    assert compact.signatories.filter(left_on=None).count() == 1

    # The action plan and the yearly conference.
    caseworker.open(f"/overenskommelse/{slug}/hantera/")
    caseworker.choose("Vems åtagande", "gemensamt")
    caseworker.page.locator("[name=commitment-text]").fill("Gemensam utbildning om överenskommelsen")
    caseworker.page.locator("[name=commitment-owner]").fill("Föreningsrådet och kommunen")
    caseworker.page.locator("[name=commitment-due_on]").fill("2026-10-01")
    submit(caseworker, "commitment").sees("Gemensam utbildning om överenskommelsen")
    caseworker.page.locator("select[name=status]").first.select_option(label="pågår")
    caseworker.page.locator("form.inline-form button").first.click()
    caseworker.page.wait_for_load_state()
    caseworker.check("commitment status")
    assert compact.commitments.get().status == "in_progress"
    clock.travel(dt.date(2027, 3, 15))  # a year later: each person signs in again
    caseworker.sign_in().open(f"/overenskommelse/{slug}/hantera/")
    caseworker.page.locator("[name=conference-held_on]").fill("2027-03-15")
    caseworker.page.locator("[name=conference-municipality_report]").fill("Två dialogmöten har hållits.")
    caseworker.page.locator("[name=conference-organisations_report]").fill("Fler föreningar vill delta.")
    caseworker.page.locator("[name=conference-conclusions]").fill("Fortsätt med dialogmöten varje kvartal.")
    submit(caseworker, "conference").sees("Fortsätt med dialogmöten varje kvartal.").look()

    # The organisation leaves.
    clock.travel(dt.date(2028, 5, 2))
    caseworker.sign_in()
    applicant.sign_in().open(f"/overenskommelse/{slug}/").click("Lämna", exact=True).sees(
        "Anslut till överenskommelsen"
    )
    caseworker.open(f"/overenskommelse/{slug}/hantera/").sees("2028-05-02")

    # Six weeks before the evaluation in year four the managers are reminded.
    clock.travel(dt.date(2029, 1, 10))
    compact_run_due()
    reminder = OutboxMessage.objects.get(
        key__startswith="iop:compact-evaluation", to=world.user("caseworker").email
    )
    assert "2029-02-20" in reminder.subject and f"/overenskommelse/{slug}/utvardering/" in reminder.body
    caseworker.sign_in().open(f"/overenskommelse/{slug}/hantera/").click("Registrera utvärderingen")
    caseworker.sees("Utvärdering av överenskommelsen").look()
    caseworker.fill("Utvärderad den", "2029-02-10")
    caseworker.fill("Vad utvärderingen visade", "Samverkan har blivit tätare, men få föreningar deltar.")
    caseworker.fill("Beslutade nästa steg", "Överenskommelsen förnyas inte; en ny tas fram med föreningarna.")
    caseworker.upload("Utvärderingsrapporten", "utvardering.pdf", PDF)
    caseworker.click("Spara utvärderingen").sees("Överenskommelsen förnyas inte", "utvardering.pdf").look()
    assert compact.current_evaluation().original_name == "utvardering.pdf"

    # The decision not to renew, and the compact ends with its term.
    caseworker.tick("Förnya inte: upphör när perioden löper ut")
    caseworker.page.locator("[name=renewal-decided_on]").fill("2029-03-01")
    caseworker.page.locator("[name=renewal-reference]").fill("KF 2029-03-01 § 8")
    submit(caseworker, "renewal").sees("beslutat att inte förnya", "KF 2029-03-01 § 8")
    clock.travel(dt.date(2030, 2, 21))
    compact_run_due()
    compact.refresh_from_db()
    assert compact.state == "ended"
    caseworker.sign_in().open(f"/overenskommelse/{slug}/hantera/").sees("avslutad").look()
    caseworker.does_not_see("Lägg till ett åtagande", "Registrera en konferens")
