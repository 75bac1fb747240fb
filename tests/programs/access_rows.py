"""Organiser pages (/manage): who may reach them, on the demo programme (scenario of 1 Sep 2026).

The demo organiser manages the demo programme; `other_organiser` manages none, so every page of
the demo programme's objects is 403 for them. POST rows send data that works for the people
allowed (302), except where noted.
"""

from tests.access import ORGANISERS, AccessRow

MANAGERS = ORGANISERS | {"other_organiser": 403}
MANAGERS_POST = MANAGERS | {"organiser": 302, "admin": 302}
ORGANISERS_POST = ORGANISERS | {"organiser": 302, "other_organiser": 302, "admin": 302}

PROGRAMME = {
    "title": "Mutig voran beim Klimaschutz im Verkehr",
    "slug": "mutig-voran",
    "eligibility_criteria": "Ich arbeite an einem Klimamobilitätsplan.",
    "eligibility_min_criteria": "1",
    "impulse_trainings_per_participant": "3",
    "cert_requires_kickoff": "y",
    "cert_min_impulse_trainings": "2",
    "cert_requires_closing": "y",
    "consent_text": "Ich willige in die Verarbeitung meiner Angaben ein.",
    "cancellation_cutoff_hours": "48",
    "minimum_alert_hours": "96",
}
COHORT = {
    "name": "Durchgang 2026",
    "timezone": "Europe/Berlin",
    "signup_opens": "2026-08-31T08:00",
    "signup_closes": "2026-10-04T23:59",
}
SESSION = {
    "kind": "impulse",
    "title": "Impuls-Training Zusatztermin",
    "audience": "",
    "starts_at": "2026-11-10T14:00",
    "ends_at": "2026-11-10T16:00",
    "format": "online",
    "meeting_url": "https://meet.example.org/zusatz",
    "capacity_min": "6",
    "capacity_max": "8",
    "topic_block": "2",
}


def _programme(s) -> str:
    return f"/manage/programmes/{s.programme.id}"


def _group(s) -> str:
    return f"/manage/groups/{s.programme.target_groups[0].id}"


def _cohort(s) -> str:
    return f"/manage/cohorts/{s.cohort.id}"


def _session(s) -> str:
    return f"/manage/sessions/{s.sessions[1].id}"


ROWS = [
    AccessRow("programs.index", lambda s: "/manage/", ORGANISERS),
    AccessRow("programs.programme_create", lambda s: "/manage/programmes/new", ORGANISERS),
    AccessRow(
        "programs.programme_create",
        lambda s: "/manage/programmes/new",
        ORGANISERS_POST,
        method="POST",
        data=PROGRAMME | {"title": "Ein neues Programm", "slug": ""},
    ),
    AccessRow("programs.programme_detail", _programme, MANAGERS),
    AccessRow("programs.programme_edit", lambda s: f"{_programme(s)}/edit", MANAGERS),
    AccessRow(
        "programs.programme_edit",
        lambda s: f"{_programme(s)}/edit",
        MANAGERS_POST,
        method="POST",
        data=PROGRAMME,
    ),
    # Nobody has this address: the allowed get the form back with the error on the field.
    AccessRow(
        "programs.manager_add",
        lambda s: f"{_programme(s)}/managers",
        MANAGERS | {"organiser": 422, "admin": 422},
        method="POST",
        data={"email": "niemand@kommune.example"},
    ),
    # Removing the only manager is refused with a message, after a redirect.
    AccessRow(
        "programs.manager_remove",
        lambda s: f"{_programme(s)}/managers/{s.users['organiser'].id}/remove",
        MANAGERS_POST,
        method="POST",
    ),
    AccessRow("programs.group_create", lambda s: f"{_programme(s)}/groups/new", MANAGERS),
    AccessRow(
        "programs.group_create",
        lambda s: f"{_programme(s)}/groups/new",
        MANAGERS_POST,
        method="POST",
        data={"name": "Mobilitätsmanager:innen"},
    ),
    AccessRow("programs.group_edit", lambda s: f"{_group(s)}/edit", MANAGERS),
    AccessRow(
        "programs.group_edit",
        lambda s: f"{_group(s)}/edit",
        MANAGERS_POST,
        method="POST",
        data={"name": "Führungsebene", "description": "Entscheidungsebene."},
    ),
    AccessRow(
        "programs.group_move", lambda s: f"{_group(s)}/move/down", MANAGERS_POST, method="POST"
    ),
    # The demo groups are the audience of sessions: refused with a message, after a redirect.
    AccessRow(
        "programs.group_delete", lambda s: f"{_group(s)}/delete", MANAGERS_POST, method="POST"
    ),
    AccessRow("programs.cohort_create", lambda s: f"{_programme(s)}/cohorts/new", MANAGERS),
    AccessRow(
        "programs.cohort_create",
        lambda s: f"{_programme(s)}/cohorts/new",
        MANAGERS_POST,
        method="POST",
        data={
            "name": "Durchgang 2027",
            "timezone": "Europe/Berlin",
            "signup_opens": "2027-08-30T08:00",
            "signup_closes": "2027-10-03T23:59",
        },
    ),
    AccessRow("programs.cohort_detail", _cohort, MANAGERS),
    AccessRow("programs.cohort_edit", lambda s: f"{_cohort(s)}/edit", MANAGERS),
    AccessRow(
        "programs.cohort_edit",
        lambda s: f"{_cohort(s)}/edit",
        MANAGERS_POST,
        method="POST",
        data=COHORT,
    ),
    AccessRow(
        "programs.cohort_status",
        lambda s: f"{_cohort(s)}/status",
        MANAGERS_POST,
        method="POST",
        data={"status": "running"},
    ),
    AccessRow("programs.cohort_copy", lambda s: f"{_cohort(s)}/copy", MANAGERS),
    AccessRow(
        "programs.cohort_copy",
        lambda s: f"{_cohort(s)}/copy",
        MANAGERS_POST,
        method="POST",
        data={"name": "Durchgang 2027", "first_session_date": "2027-09-21"},
    ),
    AccessRow("programs.session_create", lambda s: f"{_cohort(s)}/sessions/new", MANAGERS),
    AccessRow(
        "programs.session_create",
        lambda s: f"{_cohort(s)}/sessions/new",
        MANAGERS_POST,
        method="POST",
        data=SESSION,
    ),
    AccessRow("programs.session_edit", lambda s: f"{_session(s)}/edit", MANAGERS),
    AccessRow(
        "programs.session_edit",
        lambda s: f"{_session(s)}/edit",
        MANAGERS_POST,
        method="POST",
        data=SESSION,
    ),
    AccessRow("programs.session_cancel", lambda s: f"{_session(s)}/cancel", MANAGERS),
    AccessRow(
        "programs.session_cancel",
        lambda s: f"{_session(s)}/cancel",
        MANAGERS_POST,
        method="POST",
        data={"reason": "Die Referentin ist erkrankt."},
    ),
    AccessRow(
        "programs.session_delete", lambda s: f"{_session(s)}/delete", MANAGERS_POST, method="POST"
    ),
]
