"""Building blocks for attendance and certificate tests, on the demo cohort.

The demo cohort (seed 004) runs from late September to December 2026: bookings are made at
`NOW` (before every session), attendance is recorded at `AFTER` (after every session).
"""

import functools
import hashlib
from datetime import UTC, datetime, timedelta

from app.bookings.attendance import record_attendance
from app.bookings.models import Attendance, Booking
from app.bookings.services import book
from app.certificates import rendering
from app.certificates.codes import new_code
from app.certificates.models import BatchState, Certificate, CertificateBatch
from app.extensions import db
from app.sessions.models import SessionKind
from tests.enrolments.helpers import NOW, demo_cohort, enrol, group

AFTER = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)

__all__ = ["AFTER", "NOW", "demo_cohort", "enrol", "participant_sessions", "take_part"]


def participant_sessions(cohort, group_slug: str = "verkehrsplanung") -> dict[str, list]:
    """The sessions one person of the group can attend, by kind, in time order."""
    target = group(cohort, group_slug)
    sessions: dict[str, list] = {kind.value: [] for kind in SessionKind}
    for training_session in cohort.sessions:
        if training_session.target_group_id in (None, target.id):
            sessions[training_session.kind].append(training_session)
    return sessions


def book_and_attend(enrolment, training_sessions, attendance=Attendance.ATTENDED, *, actor=None):
    for training_session in training_sessions:
        booking = db.session.query(Booking).filter_by(
            enrolment_id=enrolment.id, session_id=training_session.id
        ).one_or_none() or book(enrolment, training_session.id, actor=actor, now=NOW, quiet=True)
        if attendance is not None:
            record_attendance(booking, attendance, actor=actor, now=AFTER)
    db.session.commit()


def take_part(cohort, *, user=None, impulse: int = 2, kickoff=True, closing=True, info=True):
    """An approved enrolment that attended what the arguments say (the demo rule asks for the
    kick-off, two impulse trainings and the closing event)."""
    enrolment = enrol(cohort, user=user)
    sessions = participant_sessions(cohort)
    chosen = []
    if info:
        chosen += sessions["info"]
    if kickoff:
        chosen += sessions["kickoff"]
    chosen += sessions["impulse"][:impulse]
    if closing:
        chosen += sessions["closing"]
    book_and_attend(enrolment, chosen)
    return enrolment


RENDER_START = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)


def certificate_content(name: str, *, language="de", modules=3) -> rendering.CertificateContent:
    """What a certificate prints, without a database (for rendering tests)."""
    return rendering.CertificateContent(
        code=f"CODE-{name.upper()}",
        verify_url=f"http://localhost/verify/CODE-{name.upper()}",
        language=language,
        timezone="Europe/Berlin",
        holder_name=name,
        holder_organisation="Landkreis Esslingen",
        programme_title="Mutig voran beim Klimaschutz im Verkehr",
        cohort_name="Durchgang 2026",
        target_group_name="Verkehrsplaner:innen",
        issuer_name="Kompetenznetz Klima Mobil",
        signatory_name="Olga Organisatorin",
        modules=tuple(
            rendering.Module(
                title=f"Impuls-Training {number}",
                kind="impulse",
                starts_at=RENDER_START + timedelta(days=number),
                ends_at=RENDER_START + timedelta(days=number, hours=2),
                hours=2.0,
            )
            for number in range(modules)
        ),
        total_hours=2.0 * modules,
        issued_at=RENDER_START + timedelta(days=90),
    )


@functools.cache
def _one_rendered_pdf() -> bytes:
    """A real certificate PDF, rendered once per test process, for rows that only need one."""
    return rendering.render_certificate(certificate_content("Access Matrix"))


def stored_certificate(enrolment, *, issued_by) -> tuple[Certificate, CertificateBatch]:
    """An issued certificate of `enrolment` from a finished bulk issuance, stored as issuance
    stores it, without the rule and the rendering (for access tests, which only need one)."""
    batch = CertificateBatch(
        cohort_id=enrolment.cohort_id,
        created_by_id=issued_by.id,
        created_at=AFTER,
        state=BatchState.DONE.value,
        enrolment_ids=[enrolment.id],
        total=1,
        done=1,
        base_url="http://localhost/",
        heartbeat_at=AFTER,
        finished_at=AFTER,
    )
    db.session.add(batch)
    db.session.flush()
    pdf = _one_rendered_pdf()
    certificate = Certificate(
        enrolment=enrolment,
        code=new_code(),
        language="de",
        holder_name=enrolment.user.name,
        programme_title=enrolment.cohort.programme.title,
        cohort_name=enrolment.cohort.name,
        issuer_name="Fahrplan",
        modules=[],
        total_hours=0,
        issued_at=AFTER,
        issued_by_id=issued_by.id,
        batch_id=batch.id,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        pdf_size=len(pdf),
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate, batch
