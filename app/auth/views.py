"""Registration, confirmation, login/logout, password reset and invitations: thin views."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from app.auth import services
from app.auth.access import role_required
from app.auth.forms import (
    EmailOnlyForm,
    InviteCoachForm,
    LoginForm,
    RegistrationForm,
    SetPasswordForm,
)
from app.auth.invitations import invite_from_form
from app.auth.models import Role
from app.auth.tokens import Purpose
from app.db_types import utcnow
from app.extensions import db, limiter

bp = Blueprint("auth", __name__, url_prefix="/auth")

_KEPT_ON_LOGIN = ("lang",)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


def safe_next_url(target: str | None) -> str | None:
    """Only paths on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target


def _reset_session() -> None:
    """Drop everything from the session but the language choice."""
    kept = {key: session[key] for key in _KEPT_ON_LOGIN if key in session}
    session.clear()
    session.update(kept)


def _start_session(user, remember: bool) -> None:
    """Rotate the session at login, so nothing planted before it survives."""
    _reset_session()
    login_user(user, remember=remember)


def end_session() -> None:
    """Sign out. The session is emptied first: `logout_user` leaves the note in it that makes
    Flask-Login delete the remember-me cookie, which clearing afterwards would wipe."""
    _reset_session()
    logout_user()


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            services.register(
                email=form.email.data,
                name=form.name.data,
                organisation=form.organisation.data,
                password=form.password.data,
                locale=str(get_locale()),
                config=current_app.config,
            )
            db.session.commit()
        except services.EmailTaken as exc:
            db.session.rollback()
            form.email.errors.append(exc.message)
        except IntegrityError:  # a parallel request registered the address a moment ago
            db.session.rollback()
            form.email.errors.append(services.EmailTaken().message)
        else:
            flash(_("Almost done: we have sent you an e-mail with a confirmation link."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form), 422 if form.errors else 200


@bp.route("/confirm/<token>")
def confirm_email(token: str):
    try:
        services.confirm_email(token, config=current_app.config, now=utcnow())
    except services.AccountError as exc:
        flash(exc.message, "error")
        return redirect(url_for("auth.resend_confirmation"))
    db.session.commit()
    flash(_("Thank you, your e-mail address is confirmed. You can sign in now."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/confirm", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def resend_confirmation():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and not user.is_confirmed:
            services.send_confirmation(user, config=current_app.config)
            db.session.commit()
        flash(
            _("If an unconfirmed account exists for this address, a new link is on its way."),
            "info",
        )
        return redirect(url_for("auth.login"))
    status = 422 if form.errors else 200
    return render_template("auth/resend_confirmation.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, now=utcnow())
        except services.EmailNotConfirmed as exc:
            flash(exc.message, "error")
            return redirect(url_for("auth.resend_confirmation"))
        except (services.LoginFailed, services.AccountLocked) as exc:
            form.form_errors.append(exc.message)
        else:
            db.session.commit()
            _start_session(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(next_url or url_for("main.index"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    end_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data, config=current_app.config)
        db.session.commit()
        flash(
            _("If an account exists for this address, we have sent a link to reset the password."),
            "info",
        )
        return redirect(url_for("auth.login"))
    status = 422 if form.errors else 200
    return render_template("auth/forgot_password.html", form=form), status


def _password_from_link(token: str, purpose: Purpose, template: str, done_message: str):
    try:
        user = services.check_password_token(token, purpose, config=current_app.config)
    except services.AccountError as exc:
        flash(exc.message, "error")
        return redirect(url_for("auth.forgot_password"))
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.set_password_with_token(
            token, purpose, form.password.data, config=current_app.config, now=utcnow()
        )
        db.session.commit()
        flash(done_message, "success")
        return redirect(url_for("auth.login"))
    return render_template(template, form=form, user=user), 422 if form.errors else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_password(token: str):
    return _password_from_link(
        token,
        Purpose.RESET_PASSWORD,
        "auth/reset_password.html",
        _("Your password has been changed. Please sign in with the new password."),
    )


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def accept_invitation(token: str):
    return _password_from_link(
        token,
        Purpose.INVITATION,
        "auth/accept_invitation.html",
        _("Your account is ready. Please sign in."),
    )


@bp.route("/invite-coach", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def invite_coach():
    form = InviteCoachForm()
    if form.validate_on_submit() and invite_from_form(
        form, Role.COACH, _("The invitation has been sent to %(email)s.", email=form.email.data)
    ):
        return redirect(url_for("auth.invite_coach"))
    return render_template("auth/invite_coach.html", form=form), 422 if form.errors else 200
