"""Attendance, certificate and verification URLs (scenario: the demo programme; `s.sessions[1]`
is a kick-off run by the demo coach; the participant holds a certificate from a finished bulk
issuance). Organisers of another programme are refused the certificate and its batch (403), and
nobody but the holder downloads it from the participant's side (404, so ids do not leak)."""

from tests.access import ACTORS, AccessRow

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
EVERYONE = dict.fromkeys(ACTORS, 200)


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
        lambda s: f"/manage/certificate-batches/{s.extra['batch'].id}",
        MANAGING,
    ),
    AccessRow(
        "certificates.batch_progress",
        lambda s: f"/manage/certificate-batches/{s.extra['batch'].id}.json",
        MANAGING,
    ),
    AccessRow(
        "certificates.resume_batch",
        lambda s: f"/manage/certificate-batches/{s.extra['batch'].id}/resume",
        MANAGING_POSTS,
        method="POST",
    ),
    AccessRow(
        "certificates.revoke",
        lambda s: f"/manage/certificates/{s.extra['certificate'].id}/revoke",
        MANAGING,
    ),
    AccessRow(
        "certificates.managed_pdf",
        lambda s: f"/manage/certificates/{s.extra['certificate'].id}.pdf",
        MANAGING,
    ),
    # Only the holder downloads their certificate here; for everybody else it does not exist.
    AccessRow(
        "certificates.my_pdf",
        lambda s: f"/me/certificates/{s.extra['certificate'].id}.pdf",
        dict.fromkeys(ACTORS, 404) | {"anonymous": 302, "participant": 200},
    ),
    # Public, rate-limited verification.
    AccessRow("verify.search", lambda s: "/verify/", EVERYONE),
    AccessRow("verify.certificate", lambda s: f"/verify/{s.extra['certificate'].code}", EVERYONE),
    AccessRow(
        "verify.credential", lambda s: f"/verify/{s.extra['certificate'].code}.json", EVERYONE
    ),
]

PUBLIC = {"verify.search", "verify.certificate", "verify.credential"}
