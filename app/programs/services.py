"""Every change to programmes, their target groups and managers. Services flush; views commit.

Inputs arrive as plain dataclasses (no forms, no request); each refusal is a `ValidationFailed`
naming the form field it is about, raised before anything is changed.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.auth.services import find_user_by_email
from app.catalogues.models import Question
from app.extensions import db
from app.programs.errors import NotAllowed, Refused, ValidationFailed
from app.programs.models import (
    DEFAULT_CONSENT_TEXT,
    EligibilityCriterion,
    Programme,
    TargetGroup,
)
from app.programs.slugs import is_valid_slug, slugify, unique_slug
from app.sessions.models import TrainingSession

MAX_IMPULSE_TRAININGS = 20
MAX_CERT_HOURS = 999


@dataclass
class ProgrammeInput:
    title: str
    summary: str = ""
    description: str = ""
    slug: str = ""  # empty: derived from the title
    eligibility_criteria: list[str] = field(default_factory=list)
    eligibility_min_criteria: int = 1
    impulse_trainings_per_participant: int = 3
    auto_approve: bool = False
    cert_requires_kickoff: bool = False
    cert_min_impulse_trainings: int = 0
    cert_requires_closing: bool = False
    cert_min_hours: float | None = None
    consent_text: str = DEFAULT_CONSENT_TEXT
    cancellation_cutoff_hours: int = 24
    minimum_alert_hours: int = 72


@dataclass
class TargetGroupInput:
    name: str
    slug: str = ""  # empty: derived from the name
    description: str = ""


def ensure_manager(programme: Programme, actor: User) -> None:
    if not programme.can_manage(actor):
        raise NotAllowed


def managed_programmes(user: User):
    """The programmes `user` may manage, for the organisers' start page (admins: all)."""
    statement = (
        select(Programme)
        .options(selectinload(Programme.cohorts))
        .order_by(func.lower(Programme.title))
    )
    if not user.is_admin:
        statement = statement.where(Programme.managers.any(User.id == user.id))
    return db.session.scalars(statement).all()


def create_programme(data: ProgrammeInput, *, actor: User) -> Programme:
    """A new programme; the organiser who creates it becomes its first manager."""
    if not actor.is_organiser:
        raise NotAllowed
    criteria = _check_programme(data, programme=None)
    slug = data.slug.strip() or unique_slug(
        slugify(data.title), _programme_slug_taken, fallback="programme"
    )
    programme = Programme(slug=slug)
    _apply_programme(programme, data, criteria)
    programme.managers.append(actor)
    db.session.add(programme)
    db.session.flush()
    return programme


def update_programme(programme: Programme, data: ProgrammeInput, *, actor: User) -> None:
    ensure_manager(programme, actor)
    criteria = _check_programme(data, programme=programme)
    if data.slug.strip():
        programme.slug = data.slug.strip()
    _apply_programme(programme, data, criteria)
    db.session.flush()


def parse_criteria(text: str) -> list[str]:
    """One criterion per line; blank lines are ignored."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _programme_slug_taken(slug: str, *, except_id: int | None = None) -> bool:
    statement = select(Programme.id).where(Programme.slug == slug)
    if except_id is not None:
        statement = statement.where(Programme.id != except_id)
    return db.session.scalar(statement) is not None


def _check_programme(data: ProgrammeInput, *, programme: Programme | None) -> list[str]:
    if not data.title.strip():
        raise ValidationFailed("title", _l("Please enter the title of the programme."))
    if len(data.title.strip()) > 200:
        raise ValidationFailed("title", _l("The title can have at most 200 characters."))
    if len(data.summary.strip()) > 500:
        raise ValidationFailed("summary", _l("The summary can have at most 500 characters."))
    if not data.consent_text.strip():
        raise ValidationFailed(
            "consent_text", _l("Please enter the consent text participants agree to.")
        )
    slug = data.slug.strip()
    if slug:
        _check_slug(slug)
        if _programme_slug_taken(slug, except_id=programme.id if programme else None):
            raise ValidationFailed(
                "slug", _l("Another programme already uses the address “%(slug)s”.", slug=slug)
            )
    criteria = [text.strip() for text in data.eligibility_criteria if text.strip()]
    for number, text in enumerate(criteria, start=1):
        if len(text) > 500:
            raise ValidationFailed(
                "eligibility_criteria",
                _l("Eligibility criterion %(n)s is longer than 500 characters.", n=number),
            )
    if criteria and not 1 <= data.eligibility_min_criteria <= len(criteria):
        raise ValidationFailed(
            "eligibility_min_criteria",
            _l(
                "The number of criteria that must hold has to be between 1 and the number of "
                "criteria (%(n)s).",
                n=len(criteria),
            ),
        )
    if not 0 <= data.impulse_trainings_per_participant <= MAX_IMPULSE_TRAININGS:
        raise ValidationFailed(
            "impulse_trainings_per_participant",
            _l(
                "The impulse trainings per participant must be between 0 and %(n)s.",
                n=MAX_IMPULSE_TRAININGS,
            ),
        )
    if not 0 <= data.cert_min_impulse_trainings <= data.impulse_trainings_per_participant:
        raise ValidationFailed(
            "cert_min_impulse_trainings",
            _l(
                "The impulse trainings required for the certificate must be between 0 and the "
                "impulse trainings per participant (%(n)s).",
                n=data.impulse_trainings_per_participant,
            ),
        )
    if data.cert_min_hours is not None and not 0 <= data.cert_min_hours <= MAX_CERT_HOURS:
        raise ValidationFailed(
            "cert_min_hours",
            _l("The hours required for the certificate must be between 0 and %(n)s.", n=999),
        )
    return criteria


def _check_slug(slug: str) -> None:
    if not is_valid_slug(slug):
        raise ValidationFailed(
            "slug",
            _l(
                "The address may contain only lower-case letters, digits and single hyphens "
                "(at most 80 characters)."
            ),
        )


def _apply_programme(programme: Programme, data: ProgrammeInput, criteria: list[str]) -> None:
    programme.title = data.title.strip()
    programme.summary = data.summary.strip()
    programme.description = data.description.strip()
    # Without criteria everyone is eligible: nothing has to be confirmed.
    programme.eligibility_min_criteria = data.eligibility_min_criteria if criteria else 0
    programme.impulse_trainings_per_participant = data.impulse_trainings_per_participant
    programme.auto_approve = data.auto_approve
    programme.cert_requires_kickoff = data.cert_requires_kickoff
    programme.cert_min_impulse_trainings = data.cert_min_impulse_trainings
    programme.cert_requires_closing = data.cert_requires_closing
    programme.cert_min_hours = data.cert_min_hours
    programme.consent_text = data.consent_text.strip()
    programme.cancellation_cutoff_hours = data.cancellation_cutoff_hours
    programme.minimum_alert_hours = data.minimum_alert_hours
    _replace_criteria(programme, criteria)


def _replace_criteria(programme: Programme, texts: list[str]) -> None:
    """Keep the rows by position (their ids stay stable), add new ones, drop the surplus."""
    existing = list(programme.eligibility_criteria)
    for position, text in enumerate(texts):
        if position < len(existing):
            existing[position].text = text
            existing[position].position = position
        else:
            programme.eligibility_criteria.append(
                EligibilityCriterion(text=text, position=position)
            )
    for surplus in existing[len(texts) :]:
        programme.eligibility_criteria.remove(surplus)


def add_manager(programme: Programme, email: str, *, actor: User) -> User:
    """Let another organiser manage the programme too."""
    ensure_manager(programme, actor)
    user = find_user_by_email(email)
    if user is None or not user.is_organiser:
        raise ValidationFailed("email", _l("There is no organiser with this e-mail address."))
    if user in programme.managers:
        raise ValidationFailed(
            "email", _l("%(name)s already manages this programme.", name=user.name)
        )
    programme.managers.append(user)
    db.session.flush()
    return user


def remove_manager(programme: Programme, user: User, *, actor: User) -> None:
    ensure_manager(programme, actor)
    if user not in programme.managers:
        raise Refused(_l("%(name)s does not manage this programme.", name=user.name))
    if len(programme.managers) == 1:
        raise Refused(_l("A programme needs at least one manager."))
    programme.managers.remove(user)
    db.session.flush()


def create_target_group(programme: Programme, data: TargetGroupInput, *, actor: User):
    ensure_manager(programme, actor)
    _check_target_group(programme, data, group=None)
    slug = data.slug.strip() or unique_slug(
        slugify(data.name),
        lambda candidate: _group_slug_taken(programme, candidate),
        fallback="gruppe",
    )
    group = TargetGroup(
        slug=slug,
        name=data.name.strip(),
        description=data.description.strip(),
        position=len(programme.target_groups),
    )
    programme.target_groups.append(group)
    db.session.flush()
    return group


def update_target_group(group: TargetGroup, data: TargetGroupInput, *, actor: User) -> None:
    ensure_manager(group.programme, actor)
    _check_target_group(group.programme, data, group=group)
    if data.slug.strip():
        group.slug = data.slug.strip()
    group.name = data.name.strip()
    group.description = data.description.strip()
    db.session.flush()


def move_target_group(group: TargetGroup, offset: int, *, actor: User) -> None:
    """Move a group one place up (`offset` -1) or down (+1) in the programme's order."""
    ensure_manager(group.programme, actor)
    groups = list(group.programme.target_groups)
    index = groups.index(group)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(groups):
        return
    groups[index], groups[target] = groups[target], groups[index]
    for position, each in enumerate(groups):
        each.position = position
    db.session.flush()


def target_group_session_count(group: TargetGroup) -> int:
    return db.session.scalar(
        select(func.count(TrainingSession.id)).where(TrainingSession.target_group_id == group.id)
    )


def delete_target_group(group: TargetGroup, *, actor: User) -> None:
    """Remove a group and its question catalogue; refused while any session is meant for it."""
    programme = group.programme
    ensure_manager(programme, actor)
    sessions = target_group_session_count(group)
    if sessions:
        raise Refused(
            _l(
                "“%(name)s” is the audience of %(n)s session(s). Give those sessions another "
                "audience or delete them first.",
                name=group.name,
                n=sessions,
            )
        )
    db.session.execute(delete(Question).where(Question.target_group_id == group.id))
    programme.target_groups.remove(group)
    for position, each in enumerate(programme.target_groups):
        each.position = position
    db.session.flush()


def _group_slug_taken(programme: Programme, slug: str, *, except_id: int | None = None) -> bool:
    statement = select(TargetGroup.id).where(
        TargetGroup.programme_id == programme.id, TargetGroup.slug == slug
    )
    if except_id is not None:
        statement = statement.where(TargetGroup.id != except_id)
    return db.session.scalar(statement) is not None


def _check_target_group(programme: Programme, data: TargetGroupInput, *, group) -> None:
    name = data.name.strip()
    if not name:
        raise ValidationFailed("name", _l("Please enter the name of the target group."))
    if len(name) > 120:
        raise ValidationFailed("name", _l("The name can have at most 120 characters."))
    slug = data.slug.strip()
    if slug:
        _check_slug(slug)
        if _group_slug_taken(programme, slug, except_id=group.id if group else None):
            raise ValidationFailed(
                "slug",
                _l("Another target group of this programme uses “%(slug)s”.", slug=slug),
            )
