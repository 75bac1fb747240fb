"""Catalogue pages for organisers and coaches: the catalogues they reach, one group's
catalogue (add, edit, reorder, remove), the kick-off's guiding questions, a programme's question
settings and a run's most asked questions.

The coach's preparation page and the agenda are in `agenda_views`, the participants' pages in
`participant_views`; both add their routes to this blueprint (imported at the end).
"""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.access import role_required
from app.auth.models import Role
from app.catalogues import queries, services
from app.catalogues.access import (
    get_catalogue_group_or_404,
    get_catalogue_question_or_404,
    get_kickoff_or_404,
)
from app.catalogues.forms import NO_BLOCK, DeadlineForm, MoveForm, QuestionForm
from app.catalogues.models import Question
from app.db_types import utcnow
from app.extensions import db
from app.outcome import carry_out, status_for
from app.programs.access import get_cohort_or_404, get_programme_or_404

bp = Blueprint("catalogues", __name__)

EDITORS = (Role.COACH, Role.ORGANISER)


@bp.record_once
def register_template_helpers(state) -> None:
    """The participant's session page shows the published agenda through this global."""
    state.app.jinja_env.globals["published_agenda"] = queries.published_agenda


def topic_block_of(form: QuestionForm) -> int | None:
    return None if form.topic_block.data == NO_BLOCK else form.topic_block.data


@bp.route("/catalogues/")
@role_required(*EDITORS)
def index():
    programmes, counts = queries.reachable_catalogues(current_user)
    return render_template("catalogues/index.html", programmes=programmes, counts=counts)


def _group_page(group, form: QuestionForm):
    page = render_template(
        "catalogues/group.html",
        catalogue=queries.group_catalogue(group),
        form=form,
        manages=group.programme.can_manage(current_user),
    )
    return page, status_for(form)


@bp.route("/catalogues/groups/<int:group_id>")
@role_required(*EDITORS)
def group(group_id: int):
    target_group = get_catalogue_group_or_404(group_id, user=current_user)
    return _group_page(target_group, QuestionForm(formdata=None))


@bp.route("/catalogues/groups/<int:group_id>/questions", methods=["POST"])
@role_required(*EDITORS)
def question_add(group_id: int):
    target_group = get_catalogue_group_or_404(group_id, user=current_user)
    form = QuestionForm()
    done = _save_question(
        form,
        services.add_question,
        target_group,
        back=url_for("catalogues.group", group_id=target_group.id),
        success=_("The question has been added to the catalogue."),
    )
    return done or _group_page(target_group, form)


def _back_to_catalogue(question: Question):
    """Kick-off questions lead back to their kick-off page when the user reaches it."""
    kickoff = question.kickoff_session
    if kickoff is not None and (
        kickoff.is_coached_by(current_user) or kickoff.cohort.can_manage(current_user)
    ):
        return redirect(url_for("catalogues.kickoff", session_id=kickoff.id))
    return redirect(url_for("catalogues.group", group_id=question.target_group_id))


@bp.route("/catalogues/questions/<int:question_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def question_edit(question_id: int):
    question = get_catalogue_question_or_404(question_id, user=current_user)
    form = QuestionForm(
        data={"text": question.text, "topic_block": question.topic_block or NO_BLOCK}
    )
    if form.validate_on_submit():
        saved = carry_out(
            lambda: services.update_question(
                question, text=form.text.data, topic_block=topic_block_of(form), actor=current_user
            ),
            _("The question has been saved."),
            refusals=services.CatalogueRefused,
            form=form,
        )
        if saved.done:
            return _back_to_catalogue(question)
    page = render_template("catalogues/question_form.html", form=form, question=question)
    return page, status_for(form)


@bp.route("/catalogues/questions/<int:question_id>/move", methods=["POST"])
@role_required(*EDITORS)
def question_move(question_id: int):
    question = get_catalogue_question_or_404(question_id, user=current_user)
    form = MoveForm()
    if form.validate_on_submit():
        carry_out(
            lambda: services.move_question(question, form.direction.data, actor=current_user),
            refusals=services.CatalogueRefused,
        )
    return _back_to_catalogue(question)


@bp.route("/catalogues/questions/<int:question_id>/delete", methods=["POST"])
@role_required(*EDITORS)
def question_delete(question_id: int):
    question = get_catalogue_question_or_404(question_id, user=current_user)
    back = _back_to_catalogue(question)
    if FlaskForm().validate_on_submit():
        services.remove_question(question, actor=current_user)
        db.session.commit()
        flash(_("The question has been removed from the catalogue."), "success")
    return back


def _kickoff_page(kickoff, form: QuestionForm):
    page = render_template(
        "catalogues/kickoff.html",
        training_session=kickoff,
        questions=queries.kickoff_questions(kickoff),
        form=form,
    )
    return page, status_for(form)


@bp.route("/catalogues/sessions/<int:session_id>/kickoff", methods=["GET", "POST"])
@role_required(*EDITORS)
def kickoff(session_id: int):
    """The kick-off's coach (or an organiser) records the guiding questions the group agreed on."""
    training_session = get_kickoff_or_404(session_id, user=current_user)
    form = QuestionForm()
    done = _save_question(
        form,
        services.record_kickoff_question,
        training_session,
        back=url_for("catalogues.kickoff", session_id=training_session.id),
        success=_("The guiding question has been added to the group's catalogue."),
    )
    return done or _kickoff_page(training_session, form)


def _save_question(form: QuestionForm, add, target, *, back: str, success: str):
    """Add the form's question with `add(target, ...)`; a redirect when done or refused without
    a field, None when the form is to be shown again (invalid, or a refusal at a field)."""
    if not form.validate_on_submit():
        return None
    outcome = carry_out(
        lambda: add(
            target,
            text=form.text.data,
            topic_block=topic_block_of(form),
            actor=current_user,
            now=utcnow(),
        ),
        success,
        refusals=services.CatalogueRefused,
        form=form,
        flash_unplaced=True,
    )
    return redirect(back) if outcome.redirect else None


def _programme_page(programme, form: DeadlineForm):
    page = render_template(
        "catalogues/programme.html",
        programme=programme,
        form=form,
        counts=queries.question_counts(g.id for g in programme.target_groups),
    )
    return page, status_for(form)


@bp.route("/catalogues/programmes/<int:programme_id>")
@role_required(Role.ORGANISER)
def programme(programme_id: int):
    managed = get_programme_or_404(programme_id, user=current_user, manage=True)
    form = DeadlineForm(data={"hours": managed.question_deadline_hours})
    return _programme_page(managed, form)


@bp.route("/catalogues/programmes/<int:programme_id>/deadline", methods=["POST"])
@role_required(Role.ORGANISER)
def deadline(programme_id: int):
    managed = get_programme_or_404(programme_id, user=current_user, manage=True)
    form = DeadlineForm()
    if form.validate_on_submit():
        saved = carry_out(
            lambda: services.set_question_deadline(managed, form.hours.data, actor=current_user),
            _("The deadline for questions has been saved."),
            refusals=services.CatalogueRefused,
            form=form,
        )
        if saved.done:
            return redirect(url_for("catalogues.programme", programme_id=managed.id))
    return _programme_page(managed, form)


@bp.route("/catalogues/cohorts/<int:cohort_id>/questions")
@role_required(Role.ORGANISER)
def cohort_questions(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    return render_template(
        "catalogues/cohort_questions.html",
        cohort=cohort,
        rows=queries.cohort_question_stats(cohort),
    )


from app.catalogues import agenda_views, participant_views  # noqa: E402, F401  (routes on bp)
