"""Words for the session kinds and formats, shared by every page that shows sessions."""

from flask_babel import lazy_gettext as _l

from app.sessions.models import SessionFormat, SessionKind, SessionStatus

KIND_LABELS = {
    SessionKind.INFO: _l("Info event"),
    SessionKind.KICKOFF: _l("Kick-off workshop"),
    SessionKind.IMPULSE: _l("Impulse training"),
    SessionKind.CLOSING: _l("Closing event"),
    SessionKind.OTHER: _l("Other"),
}

FORMAT_LABELS = {
    SessionFormat.ONLINE: _l("Online"),
    SessionFormat.IN_PERSON: _l("In person"),
}

STATUS_LABELS = {
    SessionStatus.SCHEDULED: _l("scheduled"),
    SessionStatus.CANCELLED: _l("cancelled"),
}
