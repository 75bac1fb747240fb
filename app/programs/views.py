"""Organiser pages (/manage): programmes, target groups and managers.

Cohort pages live in `cohort_views`, session pages in `session_views`; both add their routes to
this blueprint and are imported at the end of this module. Every view checks the role with
`role_required` and the object with the loaders of `app.programs.access`.
"""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.auth.access import role_required
from app.auth.models import Role, User
from app.extensions import db
from app.outcome import carry_out, status_for
from app.programs import services
from app.programs.access import get_programme_or_404, get_target_group_or_404
from app.programs.cohort_services import status_label
from app.programs.errors import Refused
from app.programs.forms import ManagerForm, ProgrammeForm, TargetGroupForm
from app.programs.models import Cohort, Programme
from app.sessions.labels import FORMAT_LABELS, KIND_LABELS, STATUS_LABELS

bp = Blueprint("programs", __name__, url_prefix="/manage")


@bp.context_processor
def manage_helpers() -> dict:
    return {
        "cohort_status_label": status_label,
        "kind_labels": KIND_LABELS,
        "format_labels": FORMAT_LABELS,
        "session_status_labels": STATUS_LABELS,
    }


@bp.route("/")
@role_required(Role.ORGANISER)
def index():
    programmes = services.managed_programmes(current_user)
    return render_template("programs/manage_index.html", programmes=programmes)


@bp.route("/programmes/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def programme_create():
    form = ProgrammeForm()
    if form.validate_on_submit():
        created = carry_out(
            lambda: services.create_programme(form.to_input(), actor=current_user),
            lambda programme: _(
                "The programme “%(title)s” has been created.", title=programme.title
            ),
            refusals=Refused,
            form=form,
        )
        if created.done:
            return redirect(url_for("programs.programme_detail", programme_id=created.result.id))
    return render_template("programs/manage_programme_form.html", form=form), status_for(form)


@bp.route("/programmes/<int:programme_id>")
@role_required(Role.ORGANISER)
def programme_detail(programme_id: int):
    programme = get_programme_or_404(programme_id, user=current_user, manage=True)
    return _detail_page(programme, ManagerForm(formdata=None))


def _detail_page(programme: Programme, manager_form: ManagerForm, status: int = 200):
    cohorts = db.session.scalars(
        select(Cohort).where(Cohort.programme_id == programme.id).order_by(Cohort.signup_opens_at)
    ).all()
    page = render_template(
        "programs/manage_programme.html",
        programme=programme,
        cohorts=cohorts,
        manager_form=manager_form,
    )
    return page, status


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def programme_edit(programme_id: int):
    programme = get_programme_or_404(programme_id, user=current_user, manage=True)
    form = ProgrammeForm(data=ProgrammeForm.data_from(programme))
    if form.validate_on_submit():
        saved = carry_out(
            lambda: services.update_programme(programme, form.to_input(), actor=current_user),
            _("The programme has been saved."),
            refusals=Refused,
            form=form,
        )
        if saved.done:
            return redirect(url_for("programs.programme_detail", programme_id=programme.id))
    page = render_template("programs/manage_programme_form.html", form=form, programme=programme)
    return page, status_for(form)


@bp.route("/programmes/<int:programme_id>/managers", methods=["POST"])
@role_required(Role.ORGANISER)
def manager_add(programme_id: int):
    programme = get_programme_or_404(programme_id, user=current_user, manage=True)
    form = ManagerForm()
    if form.validate_on_submit():
        added = carry_out(
            lambda: services.add_manager(programme, form.email.data, actor=current_user),
            lambda user: _("%(name)s now manages this programme too.", name=user.name),
            refusals=Refused,
            form=form,
        )
        if added.done:
            return redirect(url_for("programs.programme_detail", programme_id=programme.id))
    return _detail_page(programme, form, status=422)


@bp.route("/programmes/<int:programme_id>/managers/<int:user_id>/remove", methods=["POST"])
@role_required(Role.ORGANISER)
def manager_remove(programme_id: int, user_id: int):
    programme = get_programme_or_404(programme_id, user=current_user, manage=True)
    user = db.session.get(User, user_id)
    if user is None or not FlaskForm().validate_on_submit():
        abort(404 if user is None else 400)
    carry_out(
        lambda: services.remove_manager(programme, user, actor=current_user),
        _("%(name)s no longer manages this programme.", name=user.name),
        refusals=Refused,
    )
    return redirect(url_for("programs.programme_detail", programme_id=programme.id))


@bp.route("/programmes/<int:programme_id>/groups/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def group_create(programme_id: int):
    programme = get_programme_or_404(programme_id, user=current_user, manage=True)
    form = TargetGroupForm()
    if form.validate_on_submit():
        added = carry_out(
            lambda: services.create_target_group(programme, form.to_input(), actor=current_user),
            lambda group: _("The target group “%(name)s” has been added.", name=group.name),
            refusals=Refused,
            form=form,
        )
        if added.done:
            return redirect(url_for("programs.programme_detail", programme_id=programme.id))
    page = render_template("programs/manage_group_form.html", form=form, programme=programme)
    return page, status_for(form)


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def group_edit(group_id: int):
    group = get_target_group_or_404(group_id, user=current_user, manage=True)
    form = TargetGroupForm(obj=group)
    if form.validate_on_submit():
        saved = carry_out(
            lambda: services.update_target_group(group, form.to_input(), actor=current_user),
            _("The target group has been saved."),
            refusals=Refused,
            form=form,
        )
        if saved.done:
            return redirect(url_for("programs.programme_detail", programme_id=group.programme_id))
    page = render_template(
        "programs/manage_group_form.html", form=form, programme=group.programme, group=group
    )
    return page, status_for(form)


@bp.route("/groups/<int:group_id>/move/<any(up, down):direction>", methods=["POST"])
@role_required(Role.ORGANISER)
def group_move(group_id: int, direction: str):
    group = get_target_group_or_404(group_id, user=current_user, manage=True)
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.move_target_group(group, -1 if direction == "up" else 1, actor=current_user)
    db.session.commit()
    return redirect(url_for("programs.programme_detail", programme_id=group.programme_id))


@bp.route("/groups/<int:group_id>/delete", methods=["POST"])
@role_required(Role.ORGANISER)
def group_delete(group_id: int):
    group = get_target_group_or_404(group_id, user=current_user, manage=True)
    programme_id, name = group.programme_id, group.name
    if not FlaskForm().validate_on_submit():
        abort(400)
    carry_out(
        lambda: services.delete_target_group(group, actor=current_user),
        _("The target group “%(name)s” has been removed.", name=name),
        refusals=Refused,
    )
    return redirect(url_for("programs.programme_detail", programme_id=programme_id))


# The cohort and session pages register their routes on `bp`.
from app.programs import cohort_views, session_views  # noqa: E402, F401
