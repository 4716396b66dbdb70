"""The tests' browser is a Swedish user's: its own texts are Swedish, not only the pages'."""

from ..browser import LOCALE


def test_the_browser_speaks_swedish_like_a_swedish_users_browser(browser):
    page = browser.new_page(locale=LOCALE)
    page.set_content(
        "<html lang='sv'><body><input required id='name'><input type='file' id='file'></body></html>"
    )
    language, message = page.evaluate(
        "[navigator.language, document.getElementById('name').validationMessage]"
    )
    page.close()
    assert language == "sv-SE"
    # Chromium's own message for an empty required field, from the same Swedish strings as "Välj fil"
    assert message == "Fyll i det här fältet.", (
        "Chromium's UI is not in Swedish: install Debian's chromium-l10n"
    )
