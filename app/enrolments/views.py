"""The participant's side: sign up, the dashboard, booking, cancelling, moving, withdrawing."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from app.auth.models import User, new_session_token
from app.bookings import services as bookings
from app.db_types import utcnow
from app.enrolments import dashboard, services
from app.enrolments.access import get_own_booking_or_404, get_own_enrolment_or_404
from app.enrolments.forms import MoveForm, ReasonForm, SignupForm
from app.enrolments.outcome import commit_or_explain
from app.extensions import db
from app.feedback import services as feedback
from app.feedback.forms import FeedbackForm
from app.notifications import services as notifications
from app.outcome import show_refusal
from app.programs.access import get_cohort_or_404, get_session_or_404
from app.sessions import calendar

bp = Blueprint("enrolments", __name__)


@bp.route("/signup/<int:cohort_id>", methods=["GET", "POST"])
@login_required
def signup(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user)
    existing = services.find_enrolment(cohort, current_user)
    if existing is not None:
        flash(_("You have already signed up for this cohort."), "info")
        return redirect(url_for("enrolments.enrolment", enrolment_id=existing.id))
    form = SignupForm()
    form.fill_choices(cohort.programme)
    if request.method == "GET":
        form.organisation.data = current_user.organisation
        notifications.record_signup_started(cohort, current_user, now=utcnow())
        db.session.commit()
    if form.validate_on_submit():
        signup_request = services.SignupRequest(
            target_group_id=form.target_group.data,
            organisation=form.organisation.data,
            job_function=form.job_function.data,
            confirmed_criterion_ids=form.criteria.data or [],
            consent_given=form.consent.data,
            questions=(form.questions.data or "").splitlines(),
        )
        try:
            enrolment = services.sign_up(cohort, current_user, signup_request, now=utcnow())
            db.session.commit()
        except services.SignupRefused as exc:
            db.session.rollback()
            show_refusal(form, exc)
        except IntegrityError:
            db.session.rollback()
            form.form_errors.append(_("You have already signed up for this cohort."))
        else:
            flash(_("Thank you for signing up. We will let you know by e-mail."), "success")
            return redirect(url_for("enrolments.enrolment", enrolment_id=enrolment.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("enrolments/signup.html", form=form, cohort=cohort), status


@bp.route("/me/")
@login_required
def dashboard_page():
    overviews = [dashboard.overview(e) for e in dashboard.enrolments_of(current_user)]
    return render_template("enrolments/dashboard.html", overviews=overviews, form=FlaskForm())


@bp.route("/me/enrolments/<int:enrolment_id>")
@login_required
def enrolment(enrolment_id: int):
    enrolment = get_own_enrolment_or_404(enrolment_id, user=current_user)
    data = dashboard.overview(enrolment)
    move_forms = {}
    for line in data.lines:
        form = _move_form(data, line.booking)
        if form.target_session_id.choices:
            move_forms[line.booking.id] = form
    return render_template(
        "enrolments/enrolment.html",
        data=data,
        enrolment=enrolment,
        form=FlaskForm(),
        move_forms=move_forms,
        withdraw_form=ReasonForm(prefix="withdraw"),
    )


def _move_form(data: dashboard.EnrolmentOverview, booking) -> MoveForm:
    form = MoveForm(prefix=f"move{booking.id}")
    form.target_session_id.choices = [
        SelectChoice(slot.training_session.id, slot.training_session.title)
        for slot in dashboard.move_targets(data, booking)
    ]
    return form


def _back_to(enrolment_id: int):
    return redirect(url_for("enrolments.enrolment", enrolment_id=enrolment_id))


@bp.route("/me/enrolments/<int:enrolment_id>/book/<int:session_id>", methods=["POST"])
@login_required
def book(enrolment_id: int, session_id: int):
    enrolment = get_own_enrolment_or_404(enrolment_id, user=current_user)
    if not FlaskForm().validate_on_submit():
        return _back_to(enrolment.id)
    booking = commit_or_explain(
        lambda: bookings.book(enrolment, session_id, actor=current_user, now=utcnow())
    )
    if booking is not None and booking.is_booked:
        flash(_("Your seat is booked."), "success")
    elif booking is not None:
        flash(_("The session is full; you are on the waiting list."), "info")
    return _back_to(enrolment.id)


@bp.route("/me/bookings/<int:booking_id>/cancel", methods=["POST"])
@login_required
def cancel(booking_id: int):
    booking = get_own_booking_or_404(booking_id, user=current_user)
    if FlaskForm().validate_on_submit():
        commit_or_explain(
            lambda: bookings.cancel(booking, actor=current_user, now=utcnow()),
            _("Your booking has been cancelled."),
        )
    return _back_to(booking.enrolment_id)


@bp.route("/me/bookings/<int:booking_id>/move", methods=["POST"])
@login_required
def move(booking_id: int):
    booking = get_own_booking_or_404(booking_id, user=current_user)
    form = _move_form(dashboard.overview(booking.enrolment), booking)
    if form.validate_on_submit():
        target_id = form.target_session_id.data
        commit_or_explain(
            lambda: bookings.move(booking, target_id, actor=current_user, now=utcnow()),
            _("Your booking has been moved."),
        )
    return _back_to(booking.enrolment_id)


@bp.route("/me/enrolments/<int:enrolment_id>/withdraw", methods=["POST"])
@login_required
def withdraw(enrolment_id: int):
    enrolment = get_own_enrolment_or_404(enrolment_id, user=current_user)
    form = ReasonForm(prefix="withdraw")
    if form.validate_on_submit():
        reason = form.reason.data or ""
        commit_or_explain(
            lambda: services.withdraw(enrolment, actor=current_user, now=utcnow(), reason=reason),
            _("You have withdrawn from the programme."),
        )
    return _back_to(enrolment.id)


@bp.route("/me/sessions/<int:session_id>")
@login_required
def session_detail(session_id: int):
    """A session as a participant sees it; the meeting link only with a seat."""
    training_session = get_session_or_404(session_id, user=current_user)
    return session_page(training_session, dashboard.booking_of(current_user, training_session))


def session_page(training_session, booking, *, feedback_form=None) -> str:
    """The participant's session page; after the session, with the feedback form."""
    state = feedback.state(booking, now=utcnow())
    if feedback_form is None and state.open:
        given = state.given
        feedback_form = FeedbackForm(
            formdata=None,
            data={"rating": given.rating, "comment": given.comment} if given else {},
        )
    return render_template(
        "enrolments/session.html",
        training_session=training_session,
        booking=booking,
        feedback=state,
        feedback_form=feedback_form,
    )


@bp.route("/calendar/<token>.ics")
def personal_calendar(token: str):
    """The person's own sessions as a subscribable feed; the secret token is the only key."""
    user = db.session.scalar(select(User).where(User.calendar_token == token))
    if user is None or not user.is_enabled:
        abort(404)
    body = calendar.personal_calendar(
        _("Fahrplan – %(name)s", name=user.name),
        dashboard.calendar_entries(user),
        now=utcnow(),
        page_url=lambda s: url_for("enrolments.session_detail", session_id=s.id, _external=True),
    )
    return calendar.ics_response(body, "fahrplan.ics")


@bp.route("/me/calendar/renew", methods=["POST"])
@login_required
def renew_calendar_link():
    """A new secret address; calendars subscribed to the old one stop updating."""
    if FlaskForm().validate_on_submit():
        current_user.calendar_token = new_session_token()
        db.session.commit()
        flash(_("Your calendar has a new address. Subscribe again with the new link."), "success")
    return redirect(url_for("enrolments.dashboard_page"))
