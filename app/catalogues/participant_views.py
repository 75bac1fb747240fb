"""The participant's side: their group's catalogue, their marks and their own questions, and
the PDF handout of a published agenda of a session they have a seat in."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from app.catalogues import queries, services
from app.catalogues.access import (
    get_booked_session_or_404,
    get_own_question_or_404,
    get_participation_or_404,
)
from app.catalogues.agenda_views import agenda_pdf_response
from app.catalogues.deadline import question_window
from app.catalogues.forms import MarkForm, OwnQuestionForm
from app.catalogues.models import Question
from app.catalogues.views import bp
from app.db_types import utcnow
from app.extensions import db
from app.outcome import carry_out, status_for


def _questions_page(enrolment, form: OwnQuestionForm):
    page = render_template(
        "catalogues/participant.html",
        enrolment=enrolment,
        data=queries.participation(enrolment),
        window=question_window(enrolment, now=utcnow()),
        form=form,
    )
    return page, status_for(form)


def _back(enrolment_id: int, anchor: str | None = None):
    return redirect(url_for("catalogues.my_questions", enrolment_id=enrolment_id, _anchor=anchor))


@bp.route("/me/enrolments/<int:enrolment_id>/questions")
@login_required
def my_questions(enrolment_id: int):
    enrolment = get_participation_or_404(enrolment_id, user=current_user)
    return _questions_page(enrolment, OwnQuestionForm(formdata=None))


@bp.route("/me/enrolments/<int:enrolment_id>/questions", methods=["POST"])
@login_required
def my_question_add(enrolment_id: int):
    enrolment = get_participation_or_404(enrolment_id, user=current_user)
    form = OwnQuestionForm()
    if form.validate_on_submit():
        outcome = carry_out(
            lambda: services.submit_question(enrolment, form.text.data, now=utcnow()),
            _("Thank you, your question has been saved."),
            refusals=services.CatalogueRefused,
            form=form,
            flash_unplaced=True,
        )
        if outcome.redirect:
            return _back(enrolment.id, "own-questions")
    return _questions_page(enrolment, form)


@bp.route("/me/enrolments/<int:enrolment_id>/questions/<int:question_id>/mark", methods=["POST"])
@login_required
def my_mark(enrolment_id: int, question_id: int):
    enrolment = get_participation_or_404(enrolment_id, user=current_user)
    question = db.session.get(Question, question_id)
    if question is None or not queries.is_visible_to(question, enrolment):
        abort(404)
    form = MarkForm()
    if form.validate_on_submit():
        marked = form.marked.data == "1"
        try:
            services.set_mark(enrolment, question, marked=marked, now=utcnow())
            db.session.commit()
        except services.CatalogueRefused as exc:
            db.session.rollback()
            flash(exc.message, "error")
        except IntegrityError:  # the same mark from a second click: it is there already
            db.session.rollback()
        else:
            if marked:
                flash(_("Marked as important to you."), "success")
            else:
                flash(_("The mark has been removed."), "success")
    return _back(enrolment.id, f"question-{question.id}")


@bp.route("/me/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def my_question_edit(question_id: int):
    question, enrolment = get_own_question_or_404(question_id, user=current_user)
    form = OwnQuestionForm(data={"text": question.text})
    if form.validate_on_submit():
        outcome = carry_out(
            lambda: services.update_own_question(question, enrolment, form.text.data, now=utcnow()),
            _("Your question has been saved."),
            refusals=services.CatalogueRefused,
            form=form,
            flash_unplaced=True,
        )
        if outcome.redirect:
            return _back(enrolment.id, "own-questions")
    page = render_template(
        "catalogues/own_question_form.html",
        form=form,
        question=question,
        enrolment=enrolment,
        window=question_window(enrolment, now=utcnow()),
    )
    return page, status_for(form)


@bp.route("/me/questions/<int:question_id>/delete", methods=["POST"])
@login_required
def my_question_delete(question_id: int):
    question, enrolment = get_own_question_or_404(question_id, user=current_user)
    if FlaskForm().validate_on_submit():
        carry_out(
            lambda: services.delete_own_question(question, enrolment, now=utcnow()),
            _("Your question has been deleted."),
            refusals=services.CatalogueRefused,
        )
    return _back(enrolment.id, "own-questions")


@bp.route("/me/sessions/<int:session_id>/agenda.pdf")
@login_required
def my_agenda_pdf(session_id: int):
    """The published agenda as a handout, for the people with a seat in the session."""
    training_session = get_booked_session_or_404(session_id, user=current_user)
    items = queries.published_agenda(training_session.id)
    if items is None:
        abort(404)
    return agenda_pdf_response(training_session, items)
