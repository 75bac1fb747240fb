"""Organiser pages for cohorts: create, edit, status, copy, and the cohort's session list."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from app.auth.access import role_required
from app.auth.models import Role
from app.extensions import db
from app.outcome import carry_out, status_for
from app.programs import cohort_services
from app.programs.access import get_cohort_or_404, get_programme_or_404
from app.programs.copying import copy_cohort
from app.programs.errors import Refused
from app.programs.forms import CohortForm, CohortStatusForm, CopyCohortForm
from app.programs.views import bp
from app.sessions.models import SessionKind, TrainingSession


def _status_form(cohort) -> CohortStatusForm:
    form = CohortStatusForm()
    form.status.choices = [
        SelectChoice(status.value, cohort_services.status_label(status))
        for status in cohort.next_statuses
    ]
    return form


@bp.route("/programmes/<int:programme_id>/cohorts/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def cohort_create(programme_id: int):
    programme = get_programme_or_404(programme_id, user=current_user, manage=True)
    form = CohortForm()
    if form.validate_on_submit():
        created = carry_out(
            lambda: cohort_services.create_cohort(programme, form.to_input(), actor=current_user),
            lambda cohort: _(
                "The cohort “%(name)s” has been created as a draft.", name=cohort.name
            ),
            refusals=Refused,
            form=form,
        )
        if created.done:
            return redirect(url_for("programs.cohort_detail", cohort_id=created.result.id))
    page = render_template("programs/manage_cohort_form.html", form=form, programme=programme)
    return page, status_for(form)


@bp.route("/cohorts/<int:cohort_id>")
@role_required(Role.ORGANISER)
def cohort_detail(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    sessions = db.session.scalars(
        select(TrainingSession)
        .where(TrainingSession.cohort_id == cohort.id)
        .options(selectinload(TrainingSession.target_group))
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    ).all()
    return render_template(
        "programs/manage_cohort.html",
        cohort=cohort,
        programme=cohort.programme,
        sessions=sessions,
        status_form=_status_form(cohort),
        session_kinds=list(SessionKind),
    )


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def cohort_edit(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    form = CohortForm(data=CohortForm.data_from(cohort))
    if form.validate_on_submit():
        saved = carry_out(
            lambda: cohort_services.update_cohort(cohort, form.to_input(), actor=current_user),
            _("The cohort has been saved."),
            refusals=Refused,
            form=form,
        )
        if saved.done:
            return redirect(url_for("programs.cohort_detail", cohort_id=cohort.id))
    page = render_template(
        "programs/manage_cohort_form.html", form=form, programme=cohort.programme, cohort=cohort
    )
    return page, status_for(form)


@bp.route("/cohorts/<int:cohort_id>/status", methods=["POST"])
@role_required(Role.ORGANISER)
def cohort_status(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    form = _status_form(cohort)
    if not form.validate_on_submit():
        flash(_("Please choose one of the offered statuses."), "error")
        return redirect(url_for("programs.cohort_detail", cohort_id=cohort.id))
    carry_out(
        lambda: cohort_services.change_status(cohort, form.status.data, actor=current_user),
        lambda _result: _(
            "The cohort is now “%(status)s”.", status=cohort_services.status_label(cohort.status)
        ),
        refusals=Refused,
    )
    return redirect(url_for("programs.cohort_detail", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/copy", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def cohort_copy(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    form = CopyCohortForm()
    if form.validate_on_submit():
        copied = carry_out(
            lambda: copy_cohort(
                cohort,
                name=form.name.data,
                slug=form.slug.data or "",
                first_session_date=form.first_session_date.data,
                actor=current_user,
            ),
            lambda copy: _(
                "“%(name)s” has been created as a draft copy; please check it.", name=copy.name
            ),
            refusals=Refused,
            form=form,
        )
        if copied.done:
            return redirect(url_for("programs.cohort_detail", cohort_id=copied.result.id))
    page = render_template("programs/manage_cohort_copy.html", form=form, cohort=cohort)
    return page, status_for(form)
