"""The main menu leads each role to its work, and never to a page the role may not open."""

import re

import pytest

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav aria-label="Huvudmeny">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')


def _menu(client, user) -> dict[str, str]:
    client.force_login(user)
    html = client.get("/").content.decode()
    return {label: href for href, label in LINK.findall(MENU.search(html).group(1))}


@pytest.mark.parametrize(
    "role, expected, absent",
    [
        (
            "caseworker",
            {"Inkorg", "Sammanträden", "Program", "Partnerskap", "Statistik"},
            {"Mina ansökningar", "E-arkiv"},
        ),
        ("secretary", {"Sammanträden", "Program", "Statistik"}, {"Inkorg", "E-arkiv"}),
        ("member", {"Sammanträden"}, {"Inkorg", "Program", "E-arkiv"}),
        ("program_admin", {"Program", "Statistik", "E-arkiv"}, {"Inkorg", "Sammanträden"}),
        (
            "applicant",
            {"Ansök", "Mina ansökningar", "Beslutsbrev", "Mina redovisningar"},
            {"Inkorg", "Statistik", "E-arkiv"},
        ),
    ],
)
def test_each_role_sees_the_menu_of_its_work_and_every_entry_opens(world, client, role, expected, absent):
    menu = _menu(client, world.user(role))
    assert expected <= set(menu), menu
    assert not absent & set(menu), menu
    for label, href in menu.items():
        assert client.get(href).status_code == 200, f"{role}: {label} ({href})"


def test_the_current_section_is_marked_for_screen_readers(world, client):
    client.force_login(world.user("caseworker"))
    html = client.get("/handlaggning/").content.decode()
    assert re.search(r'<a href="/handlaggning/" aria-current="page">Inkorg</a>', html)


def test_every_page_links_to_the_source_and_the_source_downloads(client):
    page = client.get("/logga-in/").content.decode()
    assert 'href="/kallkod/"' in page
    assert "Affero" in client.get("/kallkod/").content.decode()
    archive = client.get("/kallkod/bidra.zip")
    assert archive["Content-Type"] == "application/zip"
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert "bidra/grants/models.py" in names and "bidra/LICENSE" in names
    assert not any("/var/" in n or "/.venv/" in n for n in names)
