"""Sign-up and decision forms: input validation only."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.enrolments.models import EnrolmentStatus


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SignupForm(FlaskForm):
    target_group = RadioField(
        _l("Target group"),
        coerce=int,
        validators=[InputRequired(_l("Please choose your target group."))],
    )
    organisation = StringField(
        _l("Municipality or district"),
        validators=[
            DataRequired(_l("Please enter your municipality or district.")),
            Length(max=200),
        ],
        render_kw={"autocomplete": "organization"},
    )
    job_function = StringField(
        _l("Your function"),
        validators=[DataRequired(_l("Please enter your function.")), Length(max=200)],
        render_kw={"autocomplete": "organization-title"},
    )
    criteria = CheckboxListField(_l("Which of these apply to you?"), coerce=int)
    questions = TextAreaField(
        _l("Your questions for the trainings (optional, one per line)"),
        validators=[Length(max=3000)],
    )
    consent = BooleanField(
        validators=[DataRequired(_l("Please consent to the processing of your data."))]
    )

    def fill_choices(self, programme) -> None:
        self.target_group.choices = [
            SelectChoice(group.id, group.name) for group in programme.target_groups
        ]
        self.criteria.choices = [
            SelectChoice(criterion.id, criterion.text)
            for criterion in programme.eligibility_criteria
        ]


DECISIONS = {
    EnrolmentStatus.APPROVED: _l("Approve"),
    EnrolmentStatus.WAITLISTED: _l("Put on the waiting list"),
    EnrolmentStatus.REJECTED: _l("Reject"),
}


def _decision_field() -> SelectField:
    return SelectField(
        _l("Decision"),
        choices=[SelectChoice(status.value, label) for status, label in DECISIONS.items()],
    )


def _reason_field() -> TextAreaField:
    return TextAreaField(
        _l("Reason (optional, shown to the person)"), validators=[Length(max=1000)]
    )


class DecisionForm(FlaskForm):
    decision = _decision_field()
    reason = _reason_field()


class BulkDecisionForm(FlaskForm):
    enrolment_ids = CheckboxListField(_l("Sign-ups"), coerce=int)
    decision = _decision_field()
    reason = _reason_field()


class OrganiserBookingForm(FlaskForm):
    enrolment_id = SelectField(_l("Participant"), coerce=int)
    over_capacity = BooleanField(_l("Book even if the session is full (override)"))
    reason = StringField(_l("Reason"), validators=[Length(max=500)])


class MoveForm(FlaskForm):
    target_session_id = SelectField(_l("Move to"), coerce=int)


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=500)])
