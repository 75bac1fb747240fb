"""Language and timezone selection, and the template helpers that depend on them."""

from flask import Flask, current_app, has_request_context, session
from flask_babel import format_datetime
from flask_login import current_user


def select_locale() -> str:
    """The signed-in person's language, else the visitor's choice, else German.

    Outside a request (CLI, scheduler) there is no visitor: the default applies, and mail is
    rendered with `force_locale` in the recipient's language anyway.
    """
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    @app.context_processor
    def inject_i18n() -> dict:
        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"]}

    app.add_template_filter(format_datetime, "datetime")
