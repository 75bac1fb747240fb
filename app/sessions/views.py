"""Calendars (.ics) and the coaches' view of their sessions."""

from flask import Blueprint, render_template

from app.auth.access import role_required
from app.auth.models import Role

bp = Blueprint("sessions", __name__, url_prefix="/sessions")


@bp.route("/mine")
@role_required(Role.COACH)
def coach_sessions():
    return render_template("sessions/coach_sessions.html")
