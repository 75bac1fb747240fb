"""Participants give feedback on the session page; organisers read it per cohort."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.access import role_required
from app.auth.models import Role
from app.db_types import utcnow
from app.enrolments.dashboard import booking_of
from app.enrolments.views import session_page
from app.feedback import queries, services
from app.feedback.forms import FeedbackForm
from app.outcome import carry_out
from app.programs.access import get_cohort_or_404, get_session_or_404

bp = Blueprint("feedback", __name__)


@bp.route("/me/sessions/<int:session_id>/feedback", methods=["POST"])
@login_required
def give(session_id: int):
    training_session = get_session_or_404(session_id, user=current_user)
    booking = booking_of(current_user, training_session)
    if booking is None:
        abort(404)  # only the people booked into the session give feedback on it
    form = FeedbackForm()
    if form.validate_on_submit():
        outcome = carry_out(
            lambda: services.give(
                booking, rating=form.rating.data or 0, comment=form.comment.data, now=utcnow()
            ),
            _("Thank you for your feedback."),
            refusals=services.FeedbackRefused,
            form=form,
            flash_unplaced=True,
        )
        if outcome.redirect:
            return redirect(
                url_for("enrolments.session_detail", session_id=session_id, _anchor="feedback")
            )
    return session_page(training_session, booking, feedback_form=form), 422


@bp.route("/manage/cohorts/<int:cohort_id>/feedback")
@role_required(Role.ORGANISER)
def cohort(cohort_id: int):
    managed = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    now = utcnow()
    held = [s for s in managed.sessions if not s.is_cancelled and s.starts_at <= now]
    return render_template(
        "feedback/cohort.html", cohort=managed, summaries=queries.summaries(held)
    )
