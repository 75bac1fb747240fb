"""Attendance, revocation and verification forms: input validation only."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.bookings.models import Attendance

ATTENDANCE_LABELS = {
    Attendance.ATTENDED: _l("attended"),
    Attendance.EXCUSED: _l("excused"),
    Attendance.ABSENT: _l("absent"),
}


class OptionalRadioField(RadioField):
    """A radio group that may be left without a choice (attendance not known yet)."""

    def pre_validate(self, form) -> None:
        if self.data:
            super().pre_validate(form)


def attendance_form(bookings) -> FlaskForm:
    """One radio group per seat, named after the booking; unmarked people may stay unmarked."""

    class AttendanceForm(FlaskForm):
        pass

    for booking in bookings:
        field = OptionalRadioField(
            booking.enrolment.user.name,
            choices=[SelectChoice(a.value, label) for a, label in ATTENDANCE_LABELS.items()],
            default=booking.attendance,
        )
        setattr(AttendanceForm, f"booking_{booking.id}", field)
    return AttendanceForm()


def marks_from(form, bookings) -> dict[int, Attendance]:
    marks = {}
    for booking in bookings:
        value = form[f"booking_{booking.id}"].data
        if value:
            marks[booking.id] = Attendance(value)
    return marks


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the revocation"),
        validators=[DataRequired(_l("Please give a reason for the revocation.")), Length(max=1000)],
    )


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form: nothing changes

    code = StringField(
        _l("Verification code"),
        validators=[DataRequired(_l("Please enter the code printed on the certificate."))],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )
