"""Bulk issuance: a batch row worked off chunk by chunk in the background, with progress."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.certificates import batches, rendering, services, tasks
from app.certificates.models import BatchState, Certificate, CertificateBatch
from app.db_types import utcnow
from app.extensions import db
from tests.certificates.helpers import AFTER, demo_cohort, take_part
from tests.certificates.pdf_checks import text

BASE_URL = "http://fahrplan.example/"


@pytest.fixture
def cohort(app):
    return demo_cohort()


@pytest.fixture
def organiser(cohort):
    return cohort.programme.managers[0]


def eligible(cohort, count):
    return [take_part(cohort) for _ in range(count)]


def start(cohort, organiser, now=AFTER):
    batch = batches.start(cohort, actor=organiser, now=now, base_url=BASE_URL)
    db.session.commit()
    return batch


def test_a_batch_lists_everyone_eligible_without_a_certificate(cohort, organiser):
    first, second, third = eligible(cohort, 3)
    take_part(cohort, impulse=1)  # not eligible
    services.issue(third, actor=organiser, now=AFTER)
    db.session.commit()
    batch = start(cohort, organiser)
    assert sorted(batch.enrolment_ids) == sorted([first.id, second.id])
    assert (batch.total, batch.done, batch.state) == (2, 0, BatchState.QUEUED)


def test_nobody_to_issue_is_refused(cohort, organiser):
    take_part(cohort, impulse=1)
    with pytest.raises(services.CertificateRefused):
        batches.start(cohort, actor=organiser, now=AFTER, base_url=BASE_URL)


# Without SERVER_NAME (as in production), links are built from the address the batch was
# started from.
@pytest.mark.parametrize(
    "config_overrides", [{"CERTIFICATE_BATCH_CHUNK": 2, "SERVER_NAME": None}], indirect=True
)
def test_the_worker_issues_chunk_by_chunk_with_one_layout_per_chunk(
    app, cohort, organiser, monkeypatch
):
    people = eligible(cohort, 5)
    layouts = []
    real = rendering._render_same_language
    monkeypatch.setattr(
        rendering,
        "_render_same_language",
        lambda language, contents: layouts.append(len(contents)) or real(language, contents),
    )
    batch = start(cohort, organiser)
    tasks.run_batch(app, batch.id)

    db.session.expire_all()
    batch = db.session.get(CertificateBatch, batch.id)
    assert (batch.state, batch.done, batch.issued, batch.skipped) == ("done", 5, 5, 0)
    assert batch.finished_at is not None
    assert layouts == [2, 2, 1]
    certificates = db.session.query(Certificate).filter_by(batch_id=batch.id).all()
    assert sorted(c.enrolment_id for c in certificates) == sorted(p.id for p in people)
    for certificate in certificates:
        assert f"{BASE_URL}verify/{certificate.code}" in text(certificate.pdf)


def test_people_who_stop_qualifying_meanwhile_are_skipped(app, cohort, organiser):
    first, second = eligible(cohort, 2)
    batch = start(cohort, organiser)
    services.issue(second, actor=organiser, now=AFTER)  # certified by hand meanwhile
    db.session.commit()
    tasks.run_batch(app, batch.id)
    db.session.expire_all()
    batch = db.session.get(CertificateBatch, batch.id)
    assert (batch.done, batch.issued, batch.skipped) == (2, 1, 1)
    assert db.session.query(Certificate).filter_by(enrolment_id=second.id).count() == 1


def test_one_open_batch_per_cohort(cohort, organiser):
    eligible(cohort, 1)
    start(cohort, organiser)
    with pytest.raises(services.CertificateRefused):
        batches.start(cohort, actor=organiser, now=AFTER, base_url=BASE_URL)
    # Two organisers at once: the database index refuses the second open batch.
    db.session.add(
        CertificateBatch(
            cohort_id=cohort.id, enrolment_ids=[], total=0, base_url=BASE_URL, created_at=AFTER
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_claimed_batch_is_not_worked_twice(app, cohort, organiser):
    eligible(cohort, 1)
    batch = start(cohort, organiser)
    stale = timedelta(minutes=5)
    assert batches.claim(batch.id, now=AFTER, stale_after=stale)
    db.session.commit()
    assert not batches.claim(batch.id, now=AFTER + timedelta(minutes=1), stale_after=stale)
    db.session.rollback()
    # A worker that went quiet (its process died) can be replaced.
    assert batches.claim(batch.id, now=AFTER + timedelta(minutes=6), stale_after=stale)
    db.session.rollback()


def test_a_stalled_batch_resumes_where_the_last_commit_left_it(app, cohort, organiser):
    people = eligible(cohort, 3)
    batch = start(cohort, organiser)
    assert batches.claim(batch.id, now=AFTER, stale_after=timedelta(minutes=5))
    batches.work_chunk(batch, batches.next_chunk(batch, 1), now=AFTER)
    db.session.commit()  # ... and then the process died
    five = timedelta(minutes=5)
    assert batches.is_stalled(batch, now=AFTER + timedelta(minutes=6), stale_after=five)
    assert not batches.is_stalled(batch, now=AFTER + timedelta(minutes=1), stale_after=five)

    batch.heartbeat_at = utcnow() - timedelta(hours=1)  # the worker runs on the real clock
    db.session.commit()
    tasks.run_batch(app, batch.id)
    db.session.expire_all()
    batch = db.session.get(CertificateBatch, batch.id)
    assert (batch.state, batch.done, batch.issued) == ("done", 3, 3)
    assert {c.enrolment_id for c in db.session.query(Certificate)} == {p.id for p in people}


def test_a_failing_batch_stops_with_its_error_and_frees_the_cohort(
    app, cohort, organiser, monkeypatch
):
    eligible(cohort, 2)
    batch = start(cohort, organiser)

    def broken(language, contents):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(rendering, "_render_same_language", broken)
    tasks.run_batch(app, batch.id)
    db.session.expire_all()
    batch = db.session.get(CertificateBatch, batch.id)
    assert batch.state == "failed"
    assert "renderer exploded" in batch.error
    assert batch.done == 0
    assert db.session.query(Certificate).count() == 0
    monkeypatch.undo()
    retry = start(cohort, organiser)
    assert retry.total == 2


@pytest.mark.parametrize(
    "config_overrides", [{"CERTIFICATE_BATCH_RUNNER": "thread"}], indirect=True
)
def test_the_thread_runner_works_in_the_background(app, cohort, organiser):
    eligible(cohort, 2)
    batch = start(cohort, organiser)
    with app.test_request_context(base_url=BASE_URL):
        worker = tasks.start(batch.id)
    assert worker is not None
    worker.join(timeout=60)
    assert not worker.is_alive()
    db.session.expire_all()
    assert db.session.get(CertificateBatch, batch.id).state == "done"
    assert db.session.query(Certificate).count() == 2
