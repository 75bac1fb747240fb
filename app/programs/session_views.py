"""Organiser pages for a cohort's sessions: schedule, edit, cancel, delete."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.access import role_required
from app.auth.models import Role
from app.db_types import utcnow
from app.outcome import carry_out, status_for
from app.programs.access import get_cohort_or_404, get_session_or_404
from app.programs.errors import Refused
from app.programs.views import bp
from app.sessions import services
from app.sessions.forms import ALL_GROUPS, NO_BLOCK, CancelSessionForm, SessionForm
from app.sessions.models import SessionFormat, SessionKind


def _new_session_defaults(kind: str) -> dict:
    """What the form starts with; capacity follows the kind (impulse trainings: 6–8)."""
    kind = kind if kind in {k.value for k in SessionKind} else SessionKind.OTHER.value
    capacity_min, capacity_max = services.default_capacity(kind)
    return {
        "kind": kind,
        "audience": ALL_GROUPS,
        "format": SessionFormat.ONLINE.value,
        "capacity_min": capacity_min,
        "capacity_max": capacity_max,
        "topic_block": NO_BLOCK,
    }


def _form_page(form, cohort, training_session=None):
    page = render_template(
        "sessions/manage_session_form.html",
        form=form,
        cohort=cohort,
        training_session=training_session,
    )
    return page, status_for(form)


@bp.route("/cohorts/<int:cohort_id>/sessions/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def session_create(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    form = SessionForm(data=_new_session_defaults(request.args.get("kind", "")))
    form.set_choices(cohort, services.coach_choices())
    if form.validate_on_submit():
        created = carry_out(
            lambda: services.create_session(cohort, form.to_input(), actor=current_user),
            lambda training_session: _(
                "“%(title)s” has been scheduled.", title=training_session.title
            ),
            refusals=Refused,
            form=form,
        )
        if created.done:
            return redirect(url_for("programs.cohort_detail", cohort_id=cohort.id))
    return _form_page(form, cohort)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def session_edit(session_id: int):
    training_session = get_session_or_404(session_id, user=current_user, manage=True)
    cohort = training_session.cohort
    form = SessionForm(data=SessionForm.data_from(training_session))
    form.set_choices(cohort, services.coach_choices())
    if form.validate_on_submit():
        saved = carry_out(
            lambda: services.update_session(
                training_session, form.to_input(), actor=current_user, now=utcnow()
            ),
            lambda _result: _("“%(title)s” has been saved.", title=training_session.title),
            refusals=Refused,
            form=form,
        )
        if saved.done:
            return redirect(url_for("programs.cohort_detail", cohort_id=cohort.id))
    return _form_page(form, cohort, training_session)


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def session_cancel(session_id: int):
    training_session = get_session_or_404(session_id, user=current_user, manage=True)
    form = CancelSessionForm()
    if form.validate_on_submit():
        cancelled = carry_out(
            lambda: services.cancel_session(
                training_session, form.reason.data, actor=current_user, now=utcnow()
            ),
            _("“%(title)s” has been cancelled.", title=training_session.title),
            refusals=Refused,
            form=form,
        )
        if cancelled.done:
            return redirect(url_for("programs.cohort_detail", cohort_id=training_session.cohort_id))
    page = render_template(
        "sessions/manage_session_cancel.html",
        form=form,
        training_session=training_session,
        cohort=training_session.cohort,
    )
    return page, status_for(form)


@bp.route("/sessions/<int:session_id>/delete", methods=["POST"])
@role_required(Role.ORGANISER)
def session_delete(session_id: int):
    training_session = get_session_or_404(session_id, user=current_user, manage=True)
    cohort_id, title = training_session.cohort_id, training_session.title
    if not FlaskForm().validate_on_submit():
        abort(400)
    carry_out(
        lambda: services.delete_session(training_session, actor=current_user),
        _("“%(title)s” has been deleted.", title=title),
        refusals=Refused,
    )
    return redirect(url_for("programs.cohort_detail", cohort_id=cohort_id))
