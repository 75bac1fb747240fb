"""The organiser's side: sign-ups to decide, fill levels, waiting lists, booking on behalf."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from app.auth.access import role_required
from app.auth.models import Role
from app.bookings import queries
from app.bookings import services as bookings
from app.bookings.models import Booking, BookingStatus
from app.db_types import utcnow
from app.enrolments import services
from app.enrolments.access import get_managed_booking_or_404, get_managed_enrolment_or_404
from app.enrolments.forms import BulkDecisionForm, DecisionForm, OrganiserBookingForm, ReasonForm
from app.enrolments.models import Enrolment, EnrolmentStatus
from app.enrolments.outcome import commit_or_explain
from app.enrolments.seats import fill_levels
from app.extensions import db
from app.outcome import carry_out
from app.programs.access import get_cohort_or_404, get_session_or_404

bp = Blueprint("enrolment_admin", __name__, url_prefix="/manage")


def _cohort_enrolments(cohort, status: str | None, group_id: int | None) -> list[Enrolment]:
    statement = (
        select(Enrolment)
        .where(Enrolment.cohort_id == cohort.id)
        .options(selectinload(Enrolment.user), selectinload(Enrolment.target_group))
        .order_by(Enrolment.created_at)
    )
    if status:
        statement = statement.where(Enrolment.status == status)
    if group_id:
        statement = statement.where(Enrolment.target_group_id == group_id)
    return db.session.scalars(statement).all()


@bp.route("/cohorts/<int:cohort_id>/enrolments", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def enrolments(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    status = request.args.get("status") or None
    group_id = request.args.get("group", type=int)
    listed = _cohort_enrolments(cohort, status, group_id)
    form = BulkDecisionForm()
    form.enrolment_ids.choices = [SelectChoice(e.id, e.user.name) for e in listed]
    if form.validate_on_submit():
        chosen = [e for e in listed if e.id in set(form.enrolment_ids.data)]
        changed, skipped = services.decide_many(
            chosen,
            EnrolmentStatus(form.decision.data),
            actor=current_user,
            now=utcnow(),
            reason=form.reason.data or "",
        )
        db.session.commit()
        flash(_("%(n)s sign-ups updated.", n=len(changed)), "success")
        if skipped:
            flash(
                _(
                    "Not changed (already decided): %(names)s",
                    names=", ".join(e.user.name for e in skipped),
                ),
                "info",
            )
        return redirect(request.full_path)
    return render_template(
        "enrolments/manage_enrolments.html",
        cohort=cohort,
        enrolments=listed,
        form=form,
        status=status,
        group_id=group_id,
        statuses=list(EnrolmentStatus),
    ), 422 if form.errors else 200


@bp.route("/enrolments/<int:enrolment_id>", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def enrolment(enrolment_id: int):
    enrolment = get_managed_enrolment_or_404(enrolment_id, user=current_user)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide(
                enrolment,
                EnrolmentStatus(form.decision.data),
                actor=current_user,
                now=utcnow(),
                reason=form.reason.data or "",
            )
        except services.SignupRefused as exc:
            db.session.rollback()
            form.decision.errors.append(exc.message)
        else:
            db.session.commit()
            flash(
                _("The sign-up of %(name)s has been updated.", name=enrolment.user.name), "success"
            )
            return redirect(url_for("enrolment_admin.enrolment", enrolment_id=enrolment.id))
    return render_template(
        "enrolments/manage_enrolment.html", enrolment=enrolment, form=form
    ), 422 if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>/seats")
@role_required(Role.ORGANISER)
def seats(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    return render_template(
        "enrolments/manage_seats.html", cohort=cohort, levels=fill_levels(cohort, now=utcnow())
    )


def _booking_form(training_session) -> OrganiserBookingForm:
    form = OrganiserBookingForm()
    candidates = db.session.scalars(
        select(Enrolment)
        .where(
            Enrolment.cohort_id == training_session.cohort_id,
            Enrolment.status == EnrolmentStatus.APPROVED.value,
        )
        .options(selectinload(Enrolment.user))
    ).all()
    if training_session.target_group_id is not None:
        candidates = [
            e for e in candidates if e.target_group_id == training_session.target_group_id
        ]
    form.enrolment_id.choices = [
        SelectChoice(e.id, f"{e.user.name} ({e.organisation})") for e in candidates
    ]
    return form


@bp.route("/sessions/<int:session_id>/bookings", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def session_bookings(session_id: int):
    training_session = get_session_or_404(session_id, user=current_user, manage=True)
    form = _booking_form(training_session)
    if form.validate_on_submit():
        enrolment = db.session.get(Enrolment, form.enrolment_id.data)
        booked = carry_out(
            lambda: bookings.book(
                enrolment,
                training_session.id,
                actor=current_user,
                now=utcnow(),
                over_capacity=form.over_capacity.data,
                reason=form.reason.data or "",
            ),
            lambda booking: (
                _("%(name)s is booked.", name=enrolment.user.name)
                if booking.is_booked
                else _("%(name)s is on the waiting list.", name=enrolment.user.name)
            ),
            refusals=bookings.BookingRefused,
            form=form,
            field="enrolment_id",
        )
        if booked.done:
            return redirect(url_for("enrolment_admin.session_bookings", session_id=session_id))
    rows = db.session.scalars(
        select(Booking)
        .where(
            Booking.session_id == training_session.id,
            Booking.status != BookingStatus.CANCELLED.value,
        )
        .options(selectinload(Booking.enrolment).selectinload(Enrolment.user))
        .order_by(Booking.status, Booking.requested_at, Booking.id)
    ).all()
    return render_template(
        "enrolments/manage_session_bookings.html",
        training_session=training_session,
        booked=[b for b in rows if b.is_booked],
        waiting=[b for b in rows if b.is_waitlisted],
        form=form,
        cancel_form=ReasonForm(prefix="cancel"),
        free=queries.free_seats(training_session, queries.booked_count(training_session.id)),
    ), 422 if form.errors else 200


@bp.route("/bookings/<int:booking_id>/cancel", methods=["POST"])
@role_required(Role.ORGANISER)
def cancel_booking(booking_id: int):
    booking = get_managed_booking_or_404(booking_id, user=current_user)
    form = ReasonForm(prefix="cancel")
    if form.validate_on_submit():
        reason = form.reason.data or ""
        commit_or_explain(
            lambda: bookings.cancel(
                booking, actor=current_user, now=utcnow(), reason=reason, by_organiser=True
            ),
            _("The booking has been cancelled."),
        )
    return redirect(url_for("enrolment_admin.session_bookings", session_id=booking.session_id))
