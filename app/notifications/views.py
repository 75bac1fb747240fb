"""The organisers' outbox of a cohort: what was sent, what waits, what failed (and resend it),
the reminder offsets, and pausing the reminders."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from app.access import load_or_404
from app.auth.access import role_required
from app.auth.models import Role
from app.db_types import utcnow
from app.extensions import db
from app.notifications import planning, queries, services
from app.notifications.forms import ReminderSettingsForm
from app.notifications.messages import DROP_NOTE_LABELS, REASON_LABELS, STATE_LABELS
from app.notifications.models import Notification, NotificationState, Reason
from app.outcome import carry_out
from app.programs.access import get_cohort_or_404

bp = Blueprint("outbox", __name__, url_prefix="/manage")


def get_managed_notification_or_404(notification_id: int, *, user) -> Notification:
    return load_or_404(Notification, notification_id, allowed=lambda n: n.cohort.can_manage(user))


def _outbox_page(cohort, settings_form: ReminderSettingsForm):
    chosen = queries.OutboxFilter.from_args(request.args)
    page = queries.outbox_page(cohort.id, chosen, request.args.get("page", 1, type=int))
    return render_template(
        "notifications/outbox.html",
        cohort=cohort,
        chosen=chosen,
        page=page,
        counts=queries.state_counts(cohort.id),
        settings_form=settings_form,
        form=FlaskForm(),
        states=list(NotificationState),
        reasons=list(Reason),
        state_labels=STATE_LABELS,
        reason_labels=REASON_LABELS,
        drop_note_labels=DROP_NOTE_LABELS,
    )


@bp.route("/cohorts/<int:cohort_id>/outbox")
@role_required(Role.ORGANISER)
def cohort_outbox(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    form = ReminderSettingsForm(
        data={"offsets": planning.format_offsets(planning.offsets_of(cohort))}
    )
    return _outbox_page(cohort, form)


@bp.route("/cohorts/<int:cohort_id>/outbox/reminders", methods=["POST"])
@role_required(Role.ORGANISER)
def reminder_settings(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    form = ReminderSettingsForm()
    if form.validate_on_submit():
        saved = carry_out(
            lambda: services.set_reminders(
                cohort, form.offsets.data or "", actor=current_user, now=utcnow()
            ),
            _("The reminders have been saved and planned again."),
            refusals=planning.InvalidOffsets,
            form=form,
            field="offsets",
        )
        if saved.done:
            return redirect(url_for("outbox.cohort_outbox", cohort_id=cohort.id))
    return _outbox_page(cohort, form), 422


def _set_paused(cohort_id: int, paused: bool):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    if FlaskForm().validate_on_submit():
        services.set_paused(cohort, paused, actor=current_user)
        db.session.commit()
        if paused:
            flash(_("Reminders are paused: they wait until you resume them."), "success")
        else:
            flash(_("Reminders are sent again."), "success")
    return redirect(url_for("outbox.cohort_outbox", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/outbox/pause", methods=["POST"])
@role_required(Role.ORGANISER)
def pause(cohort_id: int):
    return _set_paused(cohort_id, True)


@bp.route("/cohorts/<int:cohort_id>/outbox/resume", methods=["POST"])
@role_required(Role.ORGANISER)
def resume(cohort_id: int):
    return _set_paused(cohort_id, False)


@bp.route("/cohorts/<int:cohort_id>/outbox/resend-failed", methods=["POST"])
@role_required(Role.ORGANISER)
def resend_failed(cohort_id: int):
    cohort = get_cohort_or_404(cohort_id, user=current_user, manage=True)
    if FlaskForm().validate_on_submit():
        count = services.resend_failed(cohort, actor=current_user, now=utcnow())
        db.session.commit()
        flash(
            ngettext(
                "%(num)s failed message is being sent again.",
                "%(num)s failed messages are being sent again.",
                count,
            ),
            "success",
        )
    return redirect(url_for("outbox.cohort_outbox", cohort_id=cohort.id, state="failed"))


@bp.route("/notifications/<int:notification_id>/resend", methods=["POST"])
@role_required(Role.ORGANISER)
def resend(notification_id: int):
    notification = get_managed_notification_or_404(notification_id, user=current_user)
    if FlaskForm().validate_on_submit():
        if services.resend(notification, actor=current_user, now=utcnow()):
            db.session.commit()
            flash(_("The message is being sent again."), "success")
        else:
            flash(_("Only failed messages can be sent again."), "error")
    return redirect(url_for("outbox.cohort_outbox", cohort_id=notification.cohort_id))
