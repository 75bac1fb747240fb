"""Organiser forms for programmes, target groups and cohorts: input validation only.

The rules that need the database or several fields (unique addresses, the sign-up window, the
certificate rule) live in the services, which name the field a refusal is about.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.programs.cohort_services import CohortInput
from app.programs.models import DEFAULT_CONSENT_TEXT, Cohort, Programme
from app.programs.services import ProgrammeInput, TargetGroupInput, parse_criteria
from app.sessions.timezones import DEFAULT_TIMEZONE, to_local

LOCAL_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
SLUG_HINT = _l("Part of the web address. Leave empty to derive it from the name.")


def slug_field() -> StringField:
    return StringField(_l("Address (slug)"), validators=[Optional(), Length(max=80)])


def local_datetime_field(label) -> DateTimeLocalField:
    return DateTimeLocalField(
        label,
        format=LOCAL_DATETIME_FORMATS,
        validators=[InputRequired(_l("Please enter a date and time."))],
    )


def count_field(label, default: int) -> IntegerField:
    return IntegerField(
        label,
        default=default,
        validators=[InputRequired(_l("Please enter a number.")), NumberRange(min=0)],
        render_kw={"min": 0},
    )


class ProgrammeForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Please enter the title of the programme.")), Length(max=200)],
    )
    slug = slug_field()
    summary = TextAreaField(_l("Summary"), validators=[Length(max=500)], render_kw={"rows": 2})
    description = TextAreaField(_l("Description"), render_kw={"rows": 8})
    eligibility_criteria = TextAreaField(_l("Eligibility criteria"), render_kw={"rows": 5})
    eligibility_min_criteria = count_field(_l("How many criteria must hold"), 1)
    impulse_trainings_per_participant = count_field(
        _l("Impulse trainings each participant books"), 3
    )
    auto_approve = BooleanField(_l("Approve sign-ups automatically"))
    cert_requires_kickoff = BooleanField(_l("Certificate requires the kick-off workshop"))
    cert_min_impulse_trainings = count_field(
        _l("Impulse trainings attended for the certificate"), 0
    )
    cert_requires_closing = BooleanField(_l("Certificate requires the closing event"))
    cert_min_hours = DecimalField(
        _l("Hours attended for the certificate"),
        places=1,
        validators=[Optional(), NumberRange(min=0)],
        render_kw={"min": 0, "step": "0.5"},
    )
    consent_text = TextAreaField(
        _l("Consent text"),
        default=DEFAULT_CONSENT_TEXT,
        validators=[DataRequired(_l("Please enter the consent text participants agree to."))],
        render_kw={"rows": 5},
    )
    cancellation_cutoff_hours = count_field(
        _l("Participants cancel or move bookings up to (hours before the session)"), 24
    )
    minimum_alert_hours = count_field(
        _l("Flag sessions under their minimum (hours before the start)"), 72
    )

    @staticmethod
    def data_from(programme: Programme) -> dict:
        return {
            "title": programme.title,
            "slug": programme.slug,
            "summary": programme.summary,
            "description": programme.description,
            "eligibility_criteria": "\n".join(c.text for c in programme.eligibility_criteria),
            "eligibility_min_criteria": programme.eligibility_min_criteria or 1,
            "impulse_trainings_per_participant": programme.impulse_trainings_per_participant,
            "auto_approve": programme.auto_approve,
            "cert_requires_kickoff": programme.cert_requires_kickoff,
            "cert_min_impulse_trainings": programme.cert_min_impulse_trainings,
            "cert_requires_closing": programme.cert_requires_closing,
            "cert_min_hours": programme.cert_min_hours,
            "consent_text": programme.consent_text,
            "cancellation_cutoff_hours": programme.cancellation_cutoff_hours,
            "minimum_alert_hours": programme.minimum_alert_hours,
        }

    def to_input(self) -> ProgrammeInput:
        return ProgrammeInput(
            title=self.title.data or "",
            slug=self.slug.data or "",
            summary=self.summary.data or "",
            description=self.description.data or "",
            eligibility_criteria=parse_criteria(self.eligibility_criteria.data or ""),
            eligibility_min_criteria=self.eligibility_min_criteria.data,
            impulse_trainings_per_participant=self.impulse_trainings_per_participant.data,
            auto_approve=self.auto_approve.data,
            cert_requires_kickoff=self.cert_requires_kickoff.data,
            cert_min_impulse_trainings=self.cert_min_impulse_trainings.data,
            cert_requires_closing=self.cert_requires_closing.data,
            cert_min_hours=float(self.cert_min_hours.data)
            if self.cert_min_hours.data is not None
            else None,
            consent_text=self.consent_text.data or "",
            cancellation_cutoff_hours=self.cancellation_cutoff_hours.data,
            minimum_alert_hours=self.minimum_alert_hours.data,
        )


class TargetGroupForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Please enter the name of the target group.")),
            Length(max=120),
        ],
    )
    slug = slug_field()
    description = TextAreaField(_l("Description"), render_kw={"rows": 3})

    def to_input(self) -> TargetGroupInput:
        return TargetGroupInput(
            name=self.name.data or "",
            slug=self.slug.data or "",
            description=self.description.data or "",
        )


class ManagerForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of the organiser"),
        validators=[DataRequired(_l("Please enter an e-mail address.")), Length(max=254)],
    )


class CohortForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Please enter the name of the cohort.")), Length(max=120)],
    )
    slug = slug_field()
    timezone = StringField(
        _l("Timezone"),
        default=DEFAULT_TIMEZONE,
        validators=[DataRequired(_l("Please enter a timezone.")), Length(max=64)],
    )
    signup_opens = local_datetime_field(_l("Sign-up opens"))
    signup_closes = local_datetime_field(_l("Sign-up closes"))
    max_participants = IntegerField(
        _l("Most participants"),
        validators=[Optional(), NumberRange(min=1)],
        render_kw={"min": 1},
    )

    @staticmethod
    def data_from(cohort: Cohort) -> dict:
        return {
            "name": cohort.name,
            "slug": cohort.slug,
            "timezone": cohort.timezone,
            "signup_opens": to_local(cohort.signup_opens_at, cohort.timezone),
            "signup_closes": to_local(cohort.signup_closes_at, cohort.timezone),
            "max_participants": cohort.max_participants,
        }

    def to_input(self) -> CohortInput:
        return CohortInput(
            name=self.name.data or "",
            slug=self.slug.data or "",
            timezone=self.timezone.data or "",
            signup_opens=self.signup_opens.data,
            signup_closes=self.signup_closes.data,
            max_participants=self.max_participants.data,
        )


class CohortStatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[])


class CopyCohortForm(FlaskForm):
    name = StringField(
        _l("Name of the new cohort"),
        validators=[DataRequired(_l("Please enter the name of the cohort.")), Length(max=120)],
    )
    slug = slug_field()
    first_session_date = DateField(
        _l("Date of the first session"),
        validators=[InputRequired(_l("Please enter the date of the first session."))],
    )
