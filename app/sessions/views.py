"""Calendars (.ics) and the coaches' view of their sessions."""

from flask import Blueprint, render_template
from flask_login import current_user

from app.auth.access import role_required
from app.auth.models import Role
from app.db_types import utcnow
from app.feedback.queries import summaries
from app.programs.access import get_coached_session_or_404, get_session_or_404
from app.sessions import calendar
from app.sessions.coaching import coached_sessions

bp = Blueprint("sessions", __name__, url_prefix="/sessions")


@bp.route("/mine")
@role_required(Role.COACH)
def coach_sessions():
    return render_template(
        "sessions/coach_sessions.html", sessions=coached_sessions(current_user, now=utcnow())
    )


@bp.route("/<int:session_id>/coach")
@role_required(Role.COACH, Role.ORGANISER)
def coach_session(session_id: int):
    training_session = get_coached_session_or_404(session_id, user=current_user)
    [feedback] = summaries([training_session])
    return render_template(
        "sessions/coach_session.html", training_session=training_session, feedback=feedback
    )


@bp.route("/<int:session_id>.ics")
def session_calendar(session_id: int):
    training_session = get_session_or_404(session_id, user=current_user)
    body = calendar.session_calendar(
        training_session, now=utcnow(), page_url=calendar.public_page_url(training_session)
    )
    cohort = training_session.cohort
    return calendar.ics_response(
        body, f"{cohort.programme.slug}-{cohort.slug}-{training_session.id}.ics"
    )
