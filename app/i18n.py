"""Language and timezone selection, and the template helpers that depend on them."""

from flask import Flask, current_app, session
from flask_babel import format_datetime
from flask_login import current_user


def select_locale() -> str:
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
