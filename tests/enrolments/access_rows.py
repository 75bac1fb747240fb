"""Sign-up, dashboard and booking URLs. Participants reach only their own enrolments and
bookings (another person's: 404); organisers reach those of programmes they manage."""

from tests.access import ACTORS, SIGNED_IN, AccessRow

MANAGING = dict.fromkeys(ACTORS, 403) | {"anonymous": 302, "organiser": 200, "admin": 200}
OWNER_ONLY = dict.fromkeys(ACTORS, 404) | {"anonymous": 302, "participant": 200}
OWNER_POSTS = dict.fromkeys(ACTORS, 404) | {"anonymous": 302, "participant": 302}


def _enrolment(s):
    return s.extra["enrolment"]


def _booking(s):
    return s.extra["booking"]


# The personal calendar feed is reached by its secret token alone (tested in test_calendar_feed).
PUBLIC = {"enrolments.personal_calendar"}

ROWS = [
    AccessRow(
        "enrolments.renew_calendar_link",
        lambda s: "/me/calendar/renew",
        dict.fromkeys(ACTORS, 302),
        method="POST",
    ),
    # The participant has signed up already and is sent to their enrolment.
    AccessRow(
        "enrolments.signup", lambda s: f"/signup/{s.cohort.id}", SIGNED_IN | {"participant": 302}
    ),
    AccessRow("enrolments.dashboard_page", lambda s: "/me/", SIGNED_IN),
    AccessRow("enrolments.enrolment", lambda s: f"/me/enrolments/{_enrolment(s).id}", OWNER_ONLY),
    AccessRow(
        "enrolments.book",
        lambda s: f"/me/enrolments/{_enrolment(s).id}/book/{s.extra['free_slot'].id}",
        OWNER_POSTS,
        method="POST",
    ),
    AccessRow(
        "enrolments.cancel",
        lambda s: f"/me/bookings/{_booking(s).id}/cancel",
        OWNER_POSTS,
        method="POST",
    ),
    AccessRow(
        "enrolments.move",
        lambda s: f"/me/bookings/{_booking(s).id}/move",
        OWNER_POSTS,
        method="POST",
    ),
    AccessRow(
        "enrolments.withdraw",
        lambda s: f"/me/enrolments/{_enrolment(s).id}/withdraw",
        OWNER_POSTS,
        method="POST",
    ),
    # Any signed-in person sees a published session; the meeting link only with a seat.
    AccessRow("enrolments.session_detail", lambda s: f"/me/sessions/{s.sessions[0].id}", SIGNED_IN),
    AccessRow(
        "enrolment_admin.enrolments",
        lambda s: f"/manage/cohorts/{s.cohort.id}/enrolments",
        MANAGING,
    ),
    AccessRow(
        "enrolment_admin.enrolment", lambda s: f"/manage/enrolments/{_enrolment(s).id}", MANAGING
    ),
    AccessRow("enrolment_admin.seats", lambda s: f"/manage/cohorts/{s.cohort.id}/seats", MANAGING),
    AccessRow(
        "enrolment_admin.session_bookings",
        lambda s: f"/manage/sessions/{s.sessions[0].id}/bookings",
        MANAGING,
    ),
    AccessRow(
        "enrolment_admin.cancel_booking",
        lambda s: f"/manage/bookings/{_booking(s).id}/cancel",
        MANAGING | {"organiser": 302, "admin": 302},
        method="POST",
    ),
]
