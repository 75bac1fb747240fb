"""Account administration: list accounts, create them with a role, change roles, lock."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select

from app.access import load_or_404
from app.auth import services
from app.auth.access import role_required
from app.auth.forms import InviteForm, RoleForm
from app.auth.invitations import invite_from_form
from app.auth.models import Role, User
from app.extensions import db
from app.outcome import carry_out

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 50


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
    if form.validate_on_submit() and invite_from_form(
        form, Role(form.role.data), _("Account created; the invitation has been sent.")
    ):
        return redirect(url_for("admin.users"))
    return render_template("admin/user_create.html", form=form), 422 if form.errors else 200


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@role_required(Role.ADMIN)
def change_role(user_id: int):
    user = load_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Please choose a valid role."), "error")
        return redirect(url_for("admin.users"))
    carry_out(
        lambda: services.change_role(user, Role(form.role.data), actor=current_user),
        _("The role of %(name)s has been changed.", name=user.name),
        refusals=services.AccountError,
    )
    return redirect(url_for("admin.users", q=request.args.get("q", "")))


@bp.route("/users/<int:user_id>/lock", methods=["POST"])
@role_required(Role.ADMIN)
def toggle_lock(user_id: int):
    user = load_or_404(User, user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    carry_out(
        lambda: services.set_enabled(user, not user.is_enabled, actor=current_user),
        lambda _result: (
            _("%(name)s can sign in again.", name=user.name)
            if user.is_enabled
            else _("%(name)s is locked.", name=user.name)
        ),
        refusals=services.AccountError,
    )
    return redirect(url_for("admin.users"))
