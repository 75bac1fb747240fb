"""Account administration: list accounts, create them with a role, change roles, lock."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select

from app.auth import services
from app.auth.access import role_required
from app.auth.forms import InviteForm, RoleForm
from app.auth.models import Role, User
from app.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 50


def _get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users")
@role_required(Role.ADMIN)
def users():
    query = request.args.get("q", "").strip()
    statement = select(User).order_by(func.lower(User.name))
    if query:
        # autoescape: a typed "%" or "_" is searched for, not a wildcard.
        needle = query.lower()
        statement = statement.where(
            or_(
                func.lower(User.name).contains(needle, autoescape=True),
                func.lower(User.email).contains(needle, autoescape=True),
                func.lower(User.organisation).contains(needle, autoescape=True),
            )
        )
    page = db.paginate(statement, per_page=PAGE_SIZE, error_out=False)
    return render_template("admin/user_list.html", page=page, query=query, role_form=RoleForm())


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create_user():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            services.invite(
                email=form.email.data,
                name=form.name.data,
                organisation=form.organisation.data or "",
                role=Role(form.role.data),
                inviter=current_user,
                config=current_app.config,
            )
        except services.AccountError as exc:
            form.email.errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("Account created; the invitation has been sent."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_create.html", form=form), 422 if form.errors else 200


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@role_required(Role.ADMIN)
def change_role(user_id: int):
    user = _get_user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Please choose a valid role."), "error")
        return redirect(url_for("admin.users"))
    try:
        services.change_role(user, Role(form.role.data), actor=current_user)
    except services.AccountError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("The role of %(name)s has been changed.", name=user.name), "success")
    return redirect(url_for("admin.users", q=request.args.get("q", "")))


@bp.route("/users/<int:user_id>/lock", methods=["POST"])
@role_required(Role.ADMIN)
def toggle_lock(user_id: int):
    user = _get_user_or_404(user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        services.set_enabled(user, not user.is_enabled, actor=current_user)
    except services.AccountError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        if user.is_enabled:
            flash(_("%(name)s can sign in again.", name=user.name), "success")
        else:
            flash(_("%(name)s is locked.", name=user.name), "success")
    return redirect(url_for("admin.users"))
