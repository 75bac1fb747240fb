"""The bulk-issuance worker: a thread with its own app context, started after the request that
created the batch has committed. It takes only the batch id, claims the row (so a second worker
for the same batch does nothing) and commits after every chunk, so the page's progress bar moves
and a crash loses at most the chunk in hand. With CERTIFICATE_BATCH_RUNNER = "inline" the work is
done before the request returns (tests, small installations without threads to spare).
"""

import logging
import threading
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError

from app.certificates import batches
from app.certificates.models import CertificateBatch
from app.db_types import utcnow
from app.extensions import db

log = logging.getLogger(__name__)


def stale_after(app: Flask) -> timedelta:
    return timedelta(seconds=app.config["CERTIFICATE_BATCH_STALE_SECONDS"])


def start(batch_id: int) -> threading.Thread | None:
    """Work the batch off in the background (or at once, when configured "inline")."""
    app = current_app._get_current_object()
    if app.config["CERTIFICATE_BATCH_RUNNER"] == "inline":
        run_batch(app, batch_id)
        return None
    worker = threading.Thread(
        target=run_batch, args=(app, batch_id), name=f"certificate-batch-{batch_id}", daemon=True
    )
    worker.start()
    return worker


def run_batch(app: Flask, batch_id: int) -> None:
    with app.app_context():
        try:
            batch = db.session.get(CertificateBatch, batch_id)
            if batch is None:
                return
            # Links in the PDFs and mails: the address the organiser started the batch from.
            with app.test_request_context("/", base_url=batch.base_url):
                _work(app, batch_id)
        finally:
            db.session.remove()


def _work(app: Flask, batch_id: int) -> None:
    if not batches.claim(batch_id, now=utcnow(), stale_after=stale_after(app)):
        db.session.rollback()
        return
    db.session.commit()
    batch = db.session.get(CertificateBatch, batch_id)
    size = max(1, app.config["CERTIFICATE_BATCH_CHUNK"])
    try:
        while chunk := batches.next_chunk(batch, size):
            _work_chunk(batch, chunk)
        batches.finish(batch, now=utcnow())
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        log.exception("Certificate batch %s stopped", batch_id)
        batch = db.session.get(CertificateBatch, batch_id)
        batches.fail(batch, now=utcnow(), error=f"{type(exc).__name__}: {exc}")
        db.session.commit()


def _work_chunk(batch: CertificateBatch, chunk: list[int]) -> None:
    """One chunk, one commit. A person certified meanwhile by hand (the unique index catches
    the race) is simply found to have a certificate on the second try."""
    for attempt in (1, 2):
        try:
            batches.work_chunk(batch, chunk, now=utcnow())
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
