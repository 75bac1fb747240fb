"""Organiser forms for sessions: input validation only (the rules live in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from app.programs.forms import local_datetime_field
from app.programs.models import Cohort
from app.sessions.labels import FORMAT_LABELS, KIND_LABELS
from app.sessions.models import TrainingSession
from app.sessions.services import SessionInput
from app.sessions.timezones import to_local

ALL_GROUPS = ""
NO_BLOCK = ""


def _capacity(label) -> IntegerField:
    return IntegerField(
        label, validators=[InputRequired(_l("Please enter a number."))], render_kw={"min": 0}
    )


class SessionForm(FlaskForm):
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()]
    )
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Please enter a title.")), Length(max=200)]
    )
    audience = SelectField(_l("Audience"), choices=[])
    starts_at = local_datetime_field(_l("Start"))
    ends_at = local_datetime_field(_l("End"))
    format = SelectField(
        _l("Format"), choices=[SelectChoice(f.value, label) for f, label in FORMAT_LABELS.items()]
    )
    meeting_url = URLField(_l("Meeting link (online)"), validators=[Length(max=500)])
    location = StringField(_l("Address (in person)"), validators=[Length(max=500)])
    capacity_min = _capacity(_l("Minimum participants"))
    capacity_max = _capacity(_l("Maximum participants"))
    coaches = SelectMultipleField(_l("Coaches"), coerce=int, choices=[])
    topic_block = SelectField(
        _l("Topic block"),
        choices=[SelectChoice(NO_BLOCK, _l("none"))]
        + [SelectChoice(str(n), _l("Baustein %(n)s", n=n)) for n in (1, 2, 3)],
    )
    description = TextAreaField(_l("Description"), render_kw={"rows": 4})

    def set_choices(self, cohort: Cohort, coaches) -> None:
        self.audience.choices = [SelectChoice(ALL_GROUPS, _l("All target groups"))] + [
            SelectChoice(str(group.id), group.name) for group in cohort.programme.target_groups
        ]
        self.coaches.choices = [SelectChoice(coach.id, coach.name) for coach in coaches]

    @staticmethod
    def data_from(training_session: TrainingSession) -> dict:
        timezone = training_session.cohort.timezone
        return {
            "kind": training_session.kind,
            "title": training_session.title,
            "audience": str(training_session.target_group_id or ALL_GROUPS),
            "starts_at": to_local(training_session.starts_at, timezone),
            "ends_at": to_local(training_session.ends_at, timezone),
            "format": training_session.format,
            "meeting_url": training_session.meeting_url,
            "location": training_session.location,
            "capacity_min": training_session.capacity_min,
            "capacity_max": training_session.capacity_max,
            "coaches": [coach.id for coach in training_session.coaches],
            "topic_block": str(training_session.topic_block or NO_BLOCK),
            "description": training_session.description,
        }

    def to_input(self) -> SessionInput:
        return SessionInput(
            kind=self.kind.data,
            title=self.title.data or "",
            audience=int(self.audience.data) if self.audience.data else None,
            starts_at=self.starts_at.data,
            ends_at=self.ends_at.data,
            format=self.format.data,
            meeting_url=self.meeting_url.data or "",
            location=self.location.data or "",
            capacity_min=self.capacity_min.data,
            capacity_max=self.capacity_max.data,
            coaches=list(self.coaches.data or []),
            topic_block=int(self.topic_block.data) if self.topic_block.data else None,
            description=self.description.data or "",
        )


class CancelSessionForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the cancellation"),
        validators=[DataRequired(_l("Please give a reason.")), Length(max=2000)],
        render_kw={"rows": 3},
    )
