"""Coach pages, calendars and the public programme pages (scenario: the demo programme, whose
demo coach runs the kick-offs and impulse trainings; `s.sessions[1]` is a kick-off)."""

from tests.access import ACTORS, AccessRow

COACHES = dict.fromkeys(ACTORS, 403) | {
    "anonymous": 302,
    "coach": 200,
    "other_coach": 200,
    "admin": 200,
}
# A session's coach page: its coaches, the programme's organisers and admins; other coaches and
# organisers get 404 (the session is not theirs), participants fail the role guard.
SESSION_COACH_PAGE = {
    "anonymous": 302,
    "participant": 403,
    "coach": 200,
    "other_coach": 404,
    "organiser": 200,
    "other_organiser": 404,
    "admin": 200,
}
# Published cohorts are public; drafts are covered in tests/programs/test_public_views.py.
EVERYONE = dict.fromkeys(ACTORS, 200)

ROWS = [
    AccessRow("sessions.coach_sessions", lambda s: "/sessions/mine", COACHES),
    AccessRow(
        "sessions.coach_session",
        lambda s: f"/sessions/{s.sessions[1].id}/coach",
        SESSION_COACH_PAGE,
    ),
    AccessRow("sessions.session_calendar", lambda s: f"/sessions/{s.sessions[1].id}.ics", EVERYONE),
    AccessRow("public.index", lambda s: "/programmes/", EVERYONE),
    AccessRow("public.programme", lambda s: f"/programmes/{s.programme.slug}", EVERYONE),
    AccessRow(
        "public.cohort", lambda s: f"/programmes/{s.programme.slug}/{s.cohort.slug}", EVERYONE
    ),
    AccessRow(
        "public.cohort_calendar",
        lambda s: f"/programmes/{s.programme.slug}/{s.cohort.slug}/calendar.ics",
        EVERYONE,
    ),
]
PUBLIC = {
    "public.index",
    "public.programme",
    "public.cohort",
    "public.cohort_calendar",
    "sessions.session_calendar",
}
