"""The coach's preparation page for one session and its agenda: pick, reorder, reword, add,
publish; a print view and a PDF handout."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from app.auth.access import role_required
from app.catalogues import queries, services
from app.catalogues.access import get_agenda_item_or_404, get_prepared_session_or_404
from app.catalogues.forms import AgendaItemForm, MoveForm
from app.catalogues.models import Question
from app.catalogues.views import EDITORS, bp
from app.db_types import utcnow
from app.extensions import db
from app.outcome import carry_out, show_refusal
from app.pdf import render_pdf


def _prepare_page(training_session, *, form=None, item_errors=None, item_texts=None):
    """`item_errors` / `item_texts`: {item_id: ...} of a rewording that was refused."""
    form = form or AgendaItemForm(formdata=None)
    page = render_template(
        "catalogues/prepare.html",
        training_session=training_session,
        preparation=queries.preparation(training_session),
        form=form,
        item_errors=item_errors or {},
        item_texts=item_texts or {},
    )
    return page, 422 if (form.errors or form.form_errors or item_errors) else 200


def _back(training_session, anchor: str | None = None):
    return redirect(url_for("catalogues.prepare", session_id=training_session.id, _anchor=anchor))


@bp.route("/catalogues/sessions/<int:session_id>/prepare")
@role_required(*EDITORS)
def prepare(session_id: int):
    return _prepare_page(get_prepared_session_or_404(session_id, user=current_user))


@bp.route("/catalogues/sessions/<int:session_id>/agenda/pick/<int:question_id>", methods=["POST"])
@role_required(*EDITORS)
def agenda_pick(session_id: int, question_id: int):
    training_session = get_prepared_session_or_404(session_id, user=current_user)
    question = db.session.get(Question, question_id)
    if question is None:
        abort(404)
    if FlaskForm().validate_on_submit():
        try:
            services.pick_question(training_session, question, actor=current_user, now=utcnow())
            db.session.commit()
        except services.CatalogueRefused as exc:
            db.session.rollback()
            flash(exc.message, "error")
        except IntegrityError:  # someone else changed the agenda at the same moment
            db.session.rollback()
            flash(_("The agenda was changed at the same time; please try again."), "error")
        else:
            flash(_("The question is on the agenda now."), "success")
    return _back(training_session, "agenda")


@bp.route("/catalogues/sessions/<int:session_id>/agenda/items", methods=["POST"])
@role_required(*EDITORS)
def agenda_add(session_id: int):
    training_session = get_prepared_session_or_404(session_id, user=current_user)
    form = AgendaItemForm()
    if form.validate_on_submit():
        try:
            services.add_item(training_session, form.text.data, actor=current_user, now=utcnow())
            db.session.commit()
        except IntegrityError:  # the agenda was created by someone else at the same moment
            db.session.rollback()
            flash(_("The agenda was changed at the same time; please try again."), "error")
            return _back(training_session, "agenda")
        except services.CatalogueRefused as exc:
            db.session.rollback()
            if exc.field is None:
                flash(exc.message, "error")
                return _back(training_session, "agenda")
            show_refusal(form, exc)
        else:
            flash(_("The item has been added to the agenda."), "success")
            return _back(training_session, "agenda")
    return _prepare_page(training_session, form=form)


@bp.route("/catalogues/agenda-items/<int:item_id>/reword", methods=["POST"])
@role_required(*EDITORS)
def agenda_reword(item_id: int):
    item = get_agenda_item_or_404(item_id, user=current_user)
    training_session = item.agenda.training_session
    form = AgendaItemForm()
    if form.validate_on_submit():
        try:
            services.reword_item(item, form.text.data, actor=current_user, now=utcnow())
        except services.CatalogueRefused as exc:
            db.session.rollback()
            if exc.field is None:
                flash(exc.message, "error")
                return _back(training_session, f"item-{item_id}")
            return _prepare_page(
                training_session,
                item_errors={item_id: exc.message},
                item_texts={item_id: form.text.data},
            )
        db.session.commit()
        flash(_("The item has been saved."), "success")
    return _back(training_session, f"item-{item_id}")


@bp.route("/catalogues/agenda-items/<int:item_id>/move", methods=["POST"])
@role_required(*EDITORS)
def agenda_move(item_id: int):
    item = get_agenda_item_or_404(item_id, user=current_user)
    training_session = item.agenda.training_session
    form = MoveForm()
    if form.validate_on_submit():
        carry_out(
            lambda: services.move_item(item, form.direction.data, actor=current_user, now=utcnow()),
            refusals=services.CatalogueRefused,
        )
    return _back(training_session, f"item-{item_id}")


@bp.route("/catalogues/agenda-items/<int:item_id>/delete", methods=["POST"])
@role_required(*EDITORS)
def agenda_remove(item_id: int):
    item = get_agenda_item_or_404(item_id, user=current_user)
    training_session = item.agenda.training_session
    if FlaskForm().validate_on_submit():
        carry_out(
            lambda: services.remove_item(item, actor=current_user, now=utcnow()),
            _("The item has been removed from the agenda."),
            refusals=services.CatalogueRefused,
        )
    return _back(training_session, "agenda")


@bp.route("/catalogues/sessions/<int:session_id>/agenda/publish", methods=["POST"])
@role_required(*EDITORS)
def agenda_publish(session_id: int):
    training_session = get_prepared_session_or_404(session_id, user=current_user)
    if FlaskForm().validate_on_submit():
        carry_out(
            lambda: services.publish(training_session, actor=current_user, now=utcnow()),
            _("The agenda is published: the booked participants see it now."),
            refusals=services.CatalogueRefused,
        )
    return _back(training_session, "agenda")


@bp.route("/catalogues/sessions/<int:session_id>/agenda/unpublish", methods=["POST"])
@role_required(*EDITORS)
def agenda_unpublish(session_id: int):
    training_session = get_prepared_session_or_404(session_id, user=current_user)
    if FlaskForm().validate_on_submit():
        services.unpublish(training_session, actor=current_user, now=utcnow())
        db.session.commit()
        flash(_("The agenda is hidden from the participants again."), "success")
    return _back(training_session, "agenda")


@bp.route("/catalogues/sessions/<int:session_id>/agenda/print")
@role_required(*EDITORS)
def agenda_print(session_id: int):
    training_session = get_prepared_session_or_404(session_id, user=current_user)
    agenda = queries.agenda_of(training_session.id)
    return render_template(
        "catalogues/agenda_print.html",
        training_session=training_session,
        items=[item.text for item in agenda.items] if agenda else [],
        agenda=agenda,
    )


def agenda_pdf_response(training_session, items: list[str]) -> Response:
    html = render_template(
        "catalogues/agenda_pdf.html", training_session=training_session, items=items
    )
    return Response(
        render_pdf(html),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="agenda-{training_session.id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/catalogues/sessions/<int:session_id>/agenda.pdf")
@role_required(*EDITORS)
def agenda_pdf(session_id: int):
    """The handout as the agenda stands now, published or not."""
    training_session = get_prepared_session_or_404(session_id, user=current_user)
    agenda = queries.agenda_of(training_session.id)
    return agenda_pdf_response(training_session, [i.text for i in agenda.items] if agenda else [])
