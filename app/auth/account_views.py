"""The signed-in person's own account: profile, password, data export, deletion."""

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from app.auth import services
from app.auth.forms import ChangePasswordForm, DeleteAccountForm, ProfileForm
from app.auth.views import end_session
from app.db_types import utcnow
from app.enrolments import privacy
from app.extensions import db

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(profile_form=None, password_form=None, delete_form=None, status=200):
    return render_template(
        "auth/account.html",
        profile_form=profile_form or ProfileForm(obj=current_user, formdata=None),
        password_form=password_form or ChangePasswordForm(formdata=None),
        delete_form=delete_form or DeleteAccountForm(formdata=None),
    ), status


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            name=form.name.data,
            organisation=form.organisation.data or "",
            locale=form.locale.data,
        )
        db.session.commit()
        session["lang"] = form.locale.data
        flash(_("Your details have been saved."), "success")
        return redirect(url_for("account.profile"))
    return _page(profile_form=form, status=422 if form.errors else 200)


@bp.route("/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_own_password(
                current_user, form.current_password.data, form.password.data
            )
        except services.WrongPassword as exc:
            form.current_password.errors.append(exc.message)
        else:
            db.session.commit()
            # The new token signs out every other session; this one continues with it. Pass the
            # real object: Flask-Login stores what it gets, and the proxy would point at itself.
            remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            login_user(
                current_user._get_current_object(), remember=remember_cookie in request.cookies
            )
            flash(
                _("Your password has been changed. Other devices have been signed out."), "success"
            )
            return redirect(url_for("account.profile"))
    return _page(password_form=form, status=422)


@bp.route("/export")
@login_required
def export():
    data = services.export_personal_data(current_user)
    data["participation"] = privacy.export_participation(current_user)
    data["messages"] = privacy.export_messages(current_user)
    data["exported_at"] = utcnow().isoformat()
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="fahrplan-meine-daten.json"'},
    )


@bp.route("/delete", methods=["POST"])
@login_required
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.confirm_password(current_user, form.current_password.data)
            privacy.leave_everything(current_user, now=utcnow())
            services.delete_account(current_user, form.current_password.data)
        except services.WrongPassword as exc:
            form.current_password.errors.append(exc.message)
        else:
            db.session.commit()
            end_session()
            flash(_("Your account and your data have been deleted."), "success")
            return redirect(url_for("main.index"))
    return _page(delete_form=form, status=422)
