"""Who may reach what: the login manager and the role guard used by every view.

Unauthenticated visitors are redirected to the login page (302); signed-in users without the
role get 403. Object-level checks live in the loaders of each domain (`get_..._or_404`), which
use the models' `can_view` / `can_manage` predicates.
"""

from collections.abc import Callable
from functools import wraps

from flask import abort, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, user_loaded_from_cookie
from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db, login_manager


def configure_login_manager(manager: LoginManager) -> None:
    manager.login_view = "auth.login"
    manager.login_message = _l("Please sign in to see this page.")
    manager.login_message_category = "info"
    manager.session_protection = "strong"

    @manager.user_loader
    def load_user(session_token: str) -> User | None:
        return db.session.scalar(select(User).where(User.session_token == session_token))

    user_loaded_from_cookie.connect(_bind_restored_session, weak=False)


def _bind_restored_session(app, user) -> None:
    """Give a session restored from the remember-me cookie its client identifier.

    Flask-Login does not store one (flask-login#248, #685), so "strong" protection would
    throw the session away on the very next request and delete the remember-me cookie.
    """
    session["_id"] = app.login_manager._session_identifier_generator()


def role_required(*roles: Role) -> Callable:
    """Allow signed-in users holding one of `roles`; admins pass every role guard."""
    allowed = {role.value for role in roles} | {Role.ADMIN.value}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
