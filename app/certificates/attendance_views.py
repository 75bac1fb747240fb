"""The attendance sheet of a session, for its coaches and the programme's organisers."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.access import role_required
from app.auth.models import Role
from app.bookings import attendance
from app.certificates.forms import ATTENDANCE_LABELS, attendance_form, marks_from
from app.db_types import utcnow
from app.outcome import carry_out
from app.programs.access import get_coached_session_or_404

bp = Blueprint("attendance", __name__, url_prefix="/sessions")


def _saved(changed: int) -> None:
    if changed:
        flash(ngettext("%(num)s mark saved.", "%(num)s marks saved.", changed), "success")
    else:
        flash(_("Nothing changed."), "info")


@bp.route("/<int:session_id>/attendance", methods=["GET", "POST"])
@role_required(Role.COACH, Role.ORGANISER)
def sheet(session_id: int):
    training_session = get_coached_session_or_404(session_id, user=current_user)
    now = utcnow()
    bookings = attendance.sheet(training_session)
    form = attendance_form(bookings)
    if form.validate_on_submit():
        recorded = carry_out(
            lambda: attendance.record_sheet(
                training_session, marks_from(form, bookings), actor=current_user, now=now
            ),
            refusals=attendance.AttendanceRefused,
        )
        if recorded.done:
            _saved(recorded.result)
        return redirect(url_for("attendance.sheet", session_id=session_id))
    return render_template(
        "certificates/attendance.html",
        training_session=training_session,
        bookings=bookings,
        form=form,
        labels=ATTENDANCE_LABELS,
        recordable=attendance.is_recordable(training_session, now),
    ), 422 if form.errors else 200


@bp.route("/<int:session_id>/attendance/all", methods=["POST"])
@role_required(Role.COACH, Role.ORGANISER)
def all_attended(session_id: int):
    training_session = get_coached_session_or_404(session_id, user=current_user)
    if FlaskForm().validate_on_submit():
        recorded = carry_out(
            lambda: attendance.mark_everyone_attended(
                training_session, actor=current_user, now=utcnow()
            ),
            refusals=attendance.AttendanceRefused,
        )
        if recorded.done:
            _saved(recorded.result)
    return redirect(url_for("attendance.sheet", session_id=session_id))
