"""Reading pages like a visitor: the tests of the public pages, calendars and coach pages."""

from html import unescape

from flask_babel import force_locale
from flask_babel import gettext as _gettext

from tests.factories import PASSWORD


def tr(message: str, locale: str = "de", **variables) -> str:
    """`message` as the app shows it in `locale`, from the app's own catalogue.

    Assertions built this way hold before and after the German translations are filled in.
    """
    with force_locale(locale):
        return _gettext(message, **variables)


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def sign_in(client, user, password: str = PASSWORD) -> None:
    response = client.submit(
        "/auth/login", {"email": user.email, "password": password}, form_page="/auth/login"
    )
    assert response.status_code == 302
