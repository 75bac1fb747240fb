"""Attendance, certificate and verification URLs (scenario: the demo programme; `s.sessions[1]`
is a kick-off run by the demo coach). The scenario holds no certificate or batch yet, so their
URLs use an id that does not exist: the role guard still answers first (anonymous → login,
wrong role → 403), then the loader's 404. tests/certificates/test_views.py checks real ones,
including that nobody downloads another person's certificate."""

from tests.access import ACTORS, AccessRow

MISSING = 999_999

# A session's attendance sheet: its coaches, the programme's organisers and admins.
SESSION_COACH = {
    "anonymous": 302,
    "participant": 403,
    "coach": 200,
    "other_coach": 404,
    "organiser": 200,
    "other_organiser": 404,
    "admin": 200,
}
SESSION_COACH_POSTS = SESSION_COACH | {"coach": 302, "organiser": 302, "admin": 302}
MANAGING = dict.fromkeys(ACTORS, 403) | {"anonymous": 302, "organiser": 200, "admin": 200}
MANAGING_POSTS = MANAGING | {"organiser": 302, "admin": 302}
# Organisers of any programme pass the role guard; a missing object is then 404.
ORGANISERS_MISSING = dict.fromkeys(ACTORS, 403) | {
    "anonymous": 302,
    "organiser": 404,
    "other_organiser": 404,
    "admin": 404,
}
SIGNED_IN_MISSING = dict.fromkeys(ACTORS, 404) | {"anonymous": 302}
EVERYONE = dict.fromkeys(ACTORS, 200)
NOBODY = dict.fromkeys(ACTORS, 404)


def _kickoff(s):
    return s.sessions[1]


ROWS = [
    AccessRow(
        "attendance.sheet", lambda s: f"/sessions/{_kickoff(s).id}/attendance", SESSION_COACH
    ),
    AccessRow(
        "attendance.all_attended",
        lambda s: f"/sessions/{_kickoff(s).id}/attendance/all",
        SESSION_COACH_POSTS,
        method="POST",
    ),
    AccessRow(
        "certificates.cohort_overview",
        lambda s: f"/manage/cohorts/{s.cohort.id}/certificates",
        MANAGING,
    ),
    AccessRow(
        "certificates.issue",
        lambda s: f"/manage/enrolments/{s.extra['enrolment'].id}/certificate",
        MANAGING_POSTS,
        method="POST",
    ),
    AccessRow(
        "certificates.start_batch",
        lambda s: f"/manage/cohorts/{s.cohort.id}/certificates/batch",
        MANAGING_POSTS,
        method="POST",
    ),
    AccessRow(
        "certificates.cohort_zip",
        lambda s: f"/manage/cohorts/{s.cohort.id}/certificates.zip",
        MANAGING,
    ),
    AccessRow(
        "certificates.batch_page",
        lambda s: f"/manage/certificate-batches/{MISSING}",
        ORGANISERS_MISSING,
    ),
    AccessRow(
        "certificates.batch_progress",
        lambda s: f"/manage/certificate-batches/{MISSING}.json",
        ORGANISERS_MISSING,
    ),
    AccessRow(
        "certificates.resume_batch",
        lambda s: f"/manage/certificate-batches/{MISSING}/resume",
        ORGANISERS_MISSING,
        method="POST",
    ),
    AccessRow(
        "certificates.revoke",
        lambda s: f"/manage/certificates/{MISSING}/revoke",
        ORGANISERS_MISSING,
    ),
    AccessRow(
        "certificates.managed_pdf",
        lambda s: f"/manage/certificates/{MISSING}.pdf",
        ORGANISERS_MISSING,
    ),
    AccessRow(
        "certificates.my_pdf", lambda s: f"/me/certificates/{MISSING}.pdf", SIGNED_IN_MISSING
    ),
    # Public, rate-limited verification.
    AccessRow("verify.search", lambda s: "/verify/", EVERYONE),
    AccessRow("verify.certificate", lambda s: "/verify/AAAA-BBBB", NOBODY),
    AccessRow("verify.credential", lambda s: "/verify/AAAA-BBBB.json", NOBODY),
]

PUBLIC = {"verify.search", "verify.certificate", "verify.credential"}
