from tests.access import ACTORS, AccessRow

COACHES = dict.fromkeys(ACTORS, 403) | {
    "anonymous": 302,
    "coach": 200,
    "other_coach": 200,
    "admin": 200,
}

ROWS = [
    AccessRow("sessions.coach_sessions", lambda s: "/sessions/mine", COACHES),
]
PUBLIC = {"public.index"}
