"""Who reaches which catalogue, question, agenda and participation: every view loads through here.

*Coach of a group*: a user who is a coach of at least one session (any status, any cohort) whose
audience is that target group. Target groups belong to one programme, so this is "coaches the
group in some run of its programme". Sessions for all target groups do not make anyone a coach
of a group. `coaches_group` is the only place that rule is written down.

Catalogues are edited by the programme's organisers (and admins) and by the coaches of the
group. A session's preparation page and agenda belong to the session's own coaches and the
programme's organisers. Everyone else gets 404, so ids do not leak; the role guard in front of
each view answers 403 to the wrong role.

Participants reach the catalogue of their own target group only, through their own enrolment,
and only their own questions.
"""

from flask import abort
from sqlalchemy import exists, select

from app.access import load_or_404
from app.auth.models import User
from app.bookings.models import Booking, BookingStatus
from app.catalogues.models import AgendaItem, Question, QuestionSource
from app.enrolments.models import Enrolment, EnrolmentStatus
from app.extensions import db
from app.programs.access import get_coached_session_or_404
from app.programs.models import TargetGroup
from app.sessions.models import SessionKind, TrainingSession, session_coaches

# Enrolments that belong to their target group: they see its catalogue. Rejected and withdrawn
# people do not.
PARTICIPATING = (
    EnrolmentStatus.APPLIED.value,
    EnrolmentStatus.APPROVED.value,
    EnrolmentStatus.WAITLISTED.value,
    EnrolmentStatus.COMPLETED.value,
)


def coaches_group(user, group_id: int) -> bool:
    """True when `user` coaches at least one session meant for the target group `group_id`."""
    if not (user and user.is_authenticated):
        return False
    return bool(
        db.session.scalar(
            select(
                exists()
                .where(session_coaches.c.user_id == user.id)
                .where(session_coaches.c.session_id == TrainingSession.id)
                .where(TrainingSession.target_group_id == group_id)
            )
        )
    )


def coached_group_ids(user) -> set[int]:
    """The target groups `user` coaches (same rule as `coaches_group`), in one query."""
    rows = db.session.scalars(
        select(TrainingSession.target_group_id)
        .join(session_coaches, session_coaches.c.session_id == TrainingSession.id)
        .where(session_coaches.c.user_id == user.id, TrainingSession.target_group_id.is_not(None))
        .distinct()
    )
    return set(rows)


def can_edit_catalogue(user, group: TargetGroup) -> bool:
    return group.programme.can_manage(user) or coaches_group(user, group.id)


def get_catalogue_group_or_404(group_id: int, *, user: User) -> TargetGroup:
    return load_or_404(TargetGroup, group_id, visible=lambda g: can_edit_catalogue(user, g))


def get_catalogue_question_or_404(question_id: int, *, user: User) -> Question:
    """A programme or kick-off question of a catalogue the user edits."""
    return load_or_404(
        Question,
        question_id,
        visible=lambda q: q.is_in_catalogue and can_edit_catalogue(user, q.target_group),
    )


def get_prepared_session_or_404(session_id: int, *, user: User) -> TrainingSession:
    """A session of one target group that the user coaches (or organises)."""
    training_session = get_coached_session_or_404(session_id, user=user)
    if training_session.target_group_id is None:
        abort(404)
    return training_session


def get_kickoff_or_404(session_id: int, *, user: User) -> TrainingSession:
    training_session = get_prepared_session_or_404(session_id, user=user)
    if training_session.kind != SessionKind.KICKOFF:
        abort(404)
    return training_session


def get_agenda_item_or_404(item_id: int, *, user: User) -> AgendaItem:
    item = load_or_404(AgendaItem, item_id)
    get_prepared_session_or_404(item.agenda.session_id, user=user)
    return item


def get_participation_or_404(enrolment_id: int, *, user: User) -> Enrolment:
    """The user's own enrolment, while it belongs to its target group."""
    return load_or_404(
        Enrolment,
        enrolment_id,
        visible=lambda e: e.user_id == user.id and e.status in PARTICIPATING,
    )


def get_own_question_or_404(question_id: int, *, user: User) -> tuple[Question, Enrolment]:
    """A question the user asked, with the enrolment (run) they asked it in."""
    question = load_or_404(
        Question,
        question_id,
        visible=lambda q: q.source == QuestionSource.PARTICIPANT and q.author_id == user.id,
    )
    enrolment = db.session.scalar(
        select(Enrolment).where(
            Enrolment.cohort_id == question.cohort_id, Enrolment.user_id == user.id
        )
    )
    if enrolment is None or enrolment.status not in PARTICIPATING:
        abort(404)
    return question, enrolment


def get_booked_session_or_404(session_id: int, *, user: User) -> TrainingSession:
    """A session the user holds a seat in (booked, not waiting)."""
    training_session = load_or_404(TrainingSession, session_id)
    seat = db.session.scalar(
        select(Booking.id)
        .join(Enrolment, Enrolment.id == Booking.enrolment_id)
        .where(
            Booking.session_id == session_id,
            Booking.status == BookingStatus.BOOKED.value,
            Enrolment.user_id == user.id,
        )
    )
    if seat is None:
        abort(404)
    return training_session
