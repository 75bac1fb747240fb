"""Bulk issuance for a cohort: the batch row is the job and its progress.

Starting a batch only records who is to get a certificate; the worker (tasks.py) claims the row
and works through that list chunk by chunk, one render and one commit per chunk. `done` counts
the people processed in list order, so a resumed batch carries on exactly where the last commit
left it. Services flush; the caller commits.
"""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from app.certificates.models import BatchState, CertificateBatch
from app.certificates.rules import cohort_standings
from app.certificates.services import CertificateRefused, issue_many
from app.enrolments.models import Enrolment
from app.extensions import db
from app.programs.models import Cohort


def open_batch(cohort: Cohort) -> CertificateBatch | None:
    return db.session.scalar(
        select(CertificateBatch).where(
            CertificateBatch.cohort_id == cohort.id, CertificateBatch.finished_at.is_(None)
        )
    )


def latest_batch(cohort: Cohort) -> CertificateBatch | None:
    return db.session.scalar(
        select(CertificateBatch)
        .where(CertificateBatch.cohort_id == cohort.id)
        .order_by(CertificateBatch.id.desc())
        .limit(1)
    )


def is_stalled(batch: CertificateBatch, *, now: datetime, stale_after: timedelta) -> bool:
    """Unfinished, and nobody has reported progress for a while (the worker's process died)."""
    if batch.is_finished:
        return False
    last_sign = batch.heartbeat_at or batch.created_at
    return last_sign < now - stale_after


def start(cohort: Cohort, *, actor, now: datetime, base_url: str) -> CertificateBatch:
    """Record a batch for everyone eligible who has no certificate yet."""
    if cohort.is_archived:
        raise CertificateRefused(_l("This cohort is archived."))
    if open_batch(cohort) is not None:
        raise CertificateRefused(_l("Certificates for this cohort are already being issued."))
    ids = [s.enrolment.id for s in cohort_standings(cohort, now=now) if s.needs_certificate]
    if not ids:
        raise CertificateRefused(_l("Nobody is eligible who does not have a certificate yet."))
    batch = CertificateBatch(
        cohort_id=cohort.id,
        created_by_id=actor.id if actor is not None else None,
        created_at=now,
        state=BatchState.QUEUED.value,
        enrolment_ids=ids,
        total=len(ids),
        base_url=base_url,
    )
    db.session.add(batch)
    db.session.flush()  # a concurrent start fails here, on the one-open-batch index
    return batch


def claim(batch_id: int, *, now: datetime, stale_after: timedelta) -> bool:
    """Take the batch for this worker: queued, or stalled. Two workers never both get it."""
    result = db.session.execute(
        update(CertificateBatch)
        .where(
            CertificateBatch.id == batch_id,
            CertificateBatch.finished_at.is_(None),
            or_(
                CertificateBatch.state == BatchState.QUEUED.value,
                CertificateBatch.heartbeat_at.is_(None),
                CertificateBatch.heartbeat_at < now - stale_after,
            ),
        )
        .values(state=BatchState.RUNNING.value, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def next_chunk(batch: CertificateBatch, size: int) -> list[int]:
    return list(batch.enrolment_ids[batch.done : batch.done + size])


def work_chunk(batch: CertificateBatch, enrolment_ids: list[int], *, now: datetime) -> int:
    """Issue to the chunk's people who still qualify; returns how many got a certificate."""
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.id.in_(enrolment_ids), Enrolment.cohort_id == batch.cohort_id)
        .options(selectinload(Enrolment.user), selectinload(Enrolment.target_group))
        .order_by(Enrolment.id)
    ).all()
    issued, _skipped = issue_many(enrolments, actor=batch.created_by, now=now, batch=batch)
    batch.done += len(enrolment_ids)
    batch.skipped += len(enrolment_ids) - len(issued)
    batch.heartbeat_at = now
    db.session.flush()
    return len(issued)


def finish(batch: CertificateBatch, *, now: datetime) -> None:
    batch.state = BatchState.DONE.value
    batch.finished_at = now
    batch.heartbeat_at = now
    db.session.flush()


def fail(batch: CertificateBatch, *, now: datetime, error: str) -> None:
    """Stop the batch for good; starting a new one picks up everybody still without one."""
    batch.state = BatchState.FAILED.value
    batch.error = error[:2000]
    batch.finished_at = now
    batch.heartbeat_at = now
    db.session.flush()
