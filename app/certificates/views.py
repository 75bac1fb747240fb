"""Certificates for organisers (overview, issuing, bulk issuance with progress, revocation, ZIP)
and the participant's download. The public verification pages are in verify_views.py."""

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from app.auth.access import role_required
from app.auth.models import Role
from app.certificates import batches, delivery, rules, services, tasks
from app.certificates.access import (
    get_managed_batch_or_404,
    get_managed_certificate_or_404,
    get_own_certificate_or_404,
)
from app.certificates.forms import RevokeForm
from app.certificates.models import CertificateBatch
from app.db_types import utcnow
from app.enrolments.access import get_managed_enrolment_or_404
from app.extensions import db
from app.outcome import carry_out, status_for
from app.programs.access import get_cohort_or_404

bp = Blueprint("certificates", __name__)


@bp.record_once
def register_template_helpers(state) -> None:
    """The participant's pages show progress and the certificate through this helper."""
    state.app.jinja_env.globals["certificate_standing"] = _standing_for_template
    state.app.jinja_env.globals["certificate_rule"] = rules.describe


def _standing_for_template(enrolment):
    return rules.standing_of(enrolment, now=utcnow())


def _stale_after() -> timedelta:
    return tasks.stale_after(current_app)


def _overview_url(cohort_id: int) -> str:
    return url_for("certificates.cohort_overview", cohort_id=cohort_id)


@bp.route("/manage/cohorts/<int:cohort_id>/certificates")
@role_required(Role.ORGANISER)
def cohort_overview(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    now = utcnow()
    standings = rules.cohort_standings(cohort, now=now)
    batch = batches.latest_batch(cohort)
    return render_template(
        "certificates/manage_cohort.html",
        cohort=cohort,
        standings=standings,
        requirements=rules.Requirements.of(cohort.programme),
        waiting=[s for s in standings if s.needs_certificate],
        batch=batch,
        stalled=batch is not None
        and batches.is_stalled(batch, now=now, stale_after=_stale_after()),
        form=FlaskForm(),
    )


@bp.route("/manage/enrolments/<int:enrolment_id>/certificate", methods=["POST"])
@role_required(Role.ORGANISER)
def issue(enrolment_id: int):
    enrolment = get_managed_enrolment_or_404(enrolment_id, user=current_user)
    if FlaskForm().validate_on_submit():
        reissue = request.form.get("reissue") == "1"
        try:
            certificate = services.issue(
                enrolment, actor=current_user, now=utcnow(), reissue=reissue
            )
            db.session.commit()
        except services.CertificateRefused as exc:
            db.session.rollback()
            flash(exc.message, "error")
        except IntegrityError:
            db.session.rollback()
            flash(_("This person was given a certificate meanwhile."), "info")
        else:
            flash(
                _(
                    "Certificate %(code)s issued to %(name)s.",
                    code=certificate.code,
                    name=enrolment.user.name,
                ),
                "success",
            )
    return redirect(_overview_url(enrolment.cohort_id))


@bp.route("/manage/cohorts/<int:cohort_id>/certificates/batch", methods=["POST"])
@role_required(Role.ORGANISER)
def start_batch(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    if not FlaskForm().validate_on_submit():
        return redirect(_overview_url(cohort.id))
    try:
        batch = batches.start(cohort, actor=current_user, now=utcnow(), base_url=request.host_url)
        db.session.commit()
    except services.CertificateRefused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(_overview_url(cohort.id))
    except IntegrityError:
        db.session.rollback()
        flash(_("Certificates for this cohort are already being issued."), "info")
        return redirect(_overview_url(cohort.id))
    tasks.start(batch.id)
    return redirect(url_for("certificates.batch_page", batch_id=batch.id))


def _progress(batch: CertificateBatch) -> dict:
    stalled = batches.is_stalled(batch, now=utcnow(), stale_after=_stale_after())
    return {
        "id": batch.id,
        "state": batch.state,
        "total": batch.total,
        "done": batch.done,
        "issued": batch.issued,
        "skipped": batch.skipped,
        "percent": batch.percent,
        "finished": batch.is_finished,
        "stalled": stalled,
        "message": _batch_message(batch, stalled),
    }


def _batch_message(batch: CertificateBatch, stalled: bool) -> str:
    if batch.state == "failed":
        return _(
            "Bulk issuance stopped with an error after %(done)s of %(total)s.",
            done=batch.done,
            total=batch.total,
        )
    if batch.is_finished:
        return _(
            "Done: %(issued)s certificates issued, %(skipped)s skipped.",
            issued=batch.issued,
            skipped=batch.skipped,
        )
    if stalled:
        return _(
            "Bulk issuance has stalled at %(done)s of %(total)s.",
            done=batch.done,
            total=batch.total,
        )
    return _("%(done)s of %(total)s processed.", done=batch.done, total=batch.total)


@bp.route("/manage/certificate-batches/<int:batch_id>")
@role_required(Role.ORGANISER)
def batch_page(batch_id: int):
    batch = get_managed_batch_or_404(batch_id, user=current_user)
    return render_template(
        "certificates/manage_batch.html", batch=batch, progress=_progress(batch), form=FlaskForm()
    )


@bp.route("/manage/certificate-batches/<int:batch_id>.json")
@role_required(Role.ORGANISER)
def batch_progress(batch_id: int):
    batch = get_managed_batch_or_404(batch_id, user=current_user)
    response = jsonify(_progress(batch))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/manage/certificate-batches/<int:batch_id>/resume", methods=["POST"])
@role_required(Role.ORGANISER)
def resume_batch(batch_id: int):
    batch = get_managed_batch_or_404(batch_id, user=current_user)
    if FlaskForm().validate_on_submit():
        if batches.is_stalled(batch, now=utcnow(), stale_after=_stale_after()):
            tasks.start(batch.id)
            flash(_("Bulk issuance resumed."), "success")
        else:
            flash(_("This bulk issuance is not stalled."), "info")
    return redirect(url_for("certificates.batch_page", batch_id=batch.id))


@bp.route("/manage/certificates/<int:certificate_id>/revoke", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def revoke(certificate_id: int):
    certificate = get_managed_certificate_or_404(certificate_id, user=current_user)
    form = RevokeForm()
    if form.validate_on_submit():
        revoked = carry_out(
            lambda: services.revoke(
                certificate, actor=current_user, now=utcnow(), reason=form.reason.data
            ),
            _("Certificate %(code)s has been revoked.", code=certificate.code),
            refusals=services.CertificateRefused,
            form=form,
            field="reason",
        )
        if revoked.done:
            return redirect(_overview_url(certificate.enrolment.cohort_id))
    page = render_template("certificates/manage_revoke.html", certificate=certificate, form=form)
    return page, status_for(form)


@bp.route("/manage/certificates/<int:certificate_id>.pdf")
@role_required(Role.ORGANISER)
def managed_pdf(certificate_id: int):
    return delivery.pdf_response(get_managed_certificate_or_404(certificate_id, user=current_user))


@bp.route("/manage/cohorts/<int:cohort_id>/certificates.zip")
@role_required(Role.ORGANISER)
def cohort_zip(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    response = Response(
        stream_with_context(delivery.cohort_archive(cohort)), mimetype="application/zip"
    )
    name = delivery.archive_name(cohort)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/me/certificates/<int:certificate_id>.pdf")
@login_required
def my_pdf(certificate_id: int):
    return delivery.pdf_response(get_own_certificate_or_404(certificate_id, user=current_user))
