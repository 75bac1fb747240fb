"""Feedback: only the person with the seat gives it; the programme's organisers read it."""

from tests.access import ACTORS, AccessRow

MANAGING = dict.fromkeys(ACTORS, 403) | {"anonymous": 302, "organiser": 200, "admin": 200}
# The participant's booked training is over (the demo runs in autumn 2026): the feedback is
# taken, or refused with a message once its window has closed; either way back to the page.
# Nobody else has a seat in it, so for them there is nothing to give feedback on.
GIVING = dict.fromkeys(ACTORS, 404) | {"anonymous": 302, "participant": 302}

ROWS = [
    AccessRow(
        "feedback.give",
        lambda s: f"/me/sessions/{s.extra['booking'].session_id}/feedback",
        GIVING,
        method="POST",
        data={"rating": "4", "comment": "Hilfreich"},
    ),
    AccessRow("feedback.cohort", lambda s: f"/manage/cohorts/{s.cohort.id}/feedback", MANAGING),
]
