"""A certificate is a record: what it says is copied onto the row when it is issued, and its PDF
is stored as rendered, so a later change of a name or of the template never alters it."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class CertificateStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class Certificate(db.Model):
    """One version of an enrolment's certificate; re-issuing adds a version, never edits one."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "version"),
        # At most one current (not superseded) version per enrolment, whatever the concurrency.
        Index(
            "uq_certificates_current_enrolment",
            "enrolment_id",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(
            "revoked_at IS NULL OR revocation_reason <> ''", name="revocation_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(default=1)
    # Public verification code, e.g. "K7QF-2M9X-…" (160 random bits, see codes.py).
    code: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(5))
    # What the certificate says, as it was printed.
    holder_name: Mapped[str] = mapped_column(String(200))
    holder_organisation: Mapped[str] = mapped_column(String(200), default="")
    programme_title: Mapped[str] = mapped_column(String(200))
    cohort_name: Mapped[str] = mapped_column(String(120))
    target_group_name: Mapped[str] = mapped_column(String(120), default="")
    issuer_name: Mapped[str] = mapped_column(String(200))
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    # [{"title": ..., "kind": ..., "starts_at": iso, "ends_at": iso, "hours": 2.0}, ...]
    modules: Mapped[list] = mapped_column(JSON, default=list)
    total_hours: Mapped[float] = mapped_column(Numeric(6, 2, asdecimal=False))
    # The programme's rule in words, as it stood at issuance (the credential's criteria).
    criteria: Mapped[str] = mapped_column(Text, default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate_batches.id", ondelete="SET NULL"), index=True
    )
    # The PDF exactly as rendered at issuance; loaded only when it is downloaded.
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf_size: Mapped[int]
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revocation_reason: Mapped[str] = mapped_column(Text, default="")

    enrolment = relationship("Enrolment")
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])
    superseded_by = relationship("Certificate", remote_side=[id], foreign_keys=[superseded_by_id])

    @property
    def status(self) -> CertificateStatus:
        """Revocation outranks supersession: a revoked code never reads as merely outdated."""
        if self.revoked_at is not None:
            return CertificateStatus.REVOKED
        if self.superseded_at is not None:
            return CertificateStatus.SUPERSEDED
        return CertificateStatus.VALID

    @property
    def is_valid(self) -> bool:
        return self.status is CertificateStatus.VALID

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def filename(self) -> str:
        return f"certificate-{self.code}.pdf"

    def __repr__(self) -> str:
        return f"<Certificate {self.id} v{self.version} {self.status}>"


class BatchState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class CertificateBatch(db.Model):
    """A bulk issuance for a cohort, worked off in the background; the row is its progress.

    The worker claims the row, issues chunk by chunk and commits after each chunk, so progress
    survives a restart: a batch whose heartbeat has gone quiet can be resumed and carries on with
    the people who have no certificate yet.
    """

    __tablename__ = "certificate_batches"
    __table_args__ = (
        # One unfinished batch per cohort: two organisers clicking at once start one job.
        Index(
            "uq_certificate_batches_open_cohort",
            "cohort_id",
            unique=True,
            sqlite_where=text("finished_at IS NULL"),
            postgresql_where=text("finished_at IS NULL"),
        ),
        CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state_known"),
        CheckConstraint("done >= 0 AND skipped >= 0 AND done <= total", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    state: Mapped[str] = mapped_column(String(20), default=BatchState.QUEUED.value)
    # The people chosen when the batch was started (eligible, without a certificate then).
    enrolment_ids: Mapped[list] = mapped_column(JSON, default=list)
    total: Mapped[int] = mapped_column(default=0)
    # Processed so far (issued or skipped because they no longer qualify).
    done: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    # Links in the PDFs and mails point to the address the batch was started from.
    base_url: Mapped[str] = mapped_column(String(500))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    cohort = relationship("Cohort")
    created_by = relationship("User")

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)

    @property
    def issued(self) -> int:
        return self.done - self.skipped

    def __repr__(self) -> str:
        return f"<CertificateBatch {self.id} {self.state} {self.done}/{self.total}>"
