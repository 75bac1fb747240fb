"""Object-level access for programmes, cohorts and sessions: every view loads through here.

`manage=True` asks for the right to change the object (organisers who manage the programme,
admins); without it, the object must be visible to the person (published, or manageable).
A person who may not see an object gets 404, so ids of drafts do not leak; a person who may see
but not manage it gets 403.
"""

from flask import abort

from app.extensions import db
from app.programs.models import Cohort, Programme, TargetGroup
from app.sessions.models import TrainingSession


def get_programme_or_404(programme_id: int, *, user, manage: bool = False) -> Programme:
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        abort(404)
    if manage and not programme.can_manage(user):
        abort(403)
    return programme


def get_target_group_or_404(group_id: int, *, user, manage: bool = False) -> TargetGroup:
    group = db.session.get(TargetGroup, group_id)
    if group is None:
        abort(404)
    if manage and not group.programme.can_manage(user):
        abort(403)
    return group


def get_cohort_or_404(cohort_id: int, *, user, manage: bool = False) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not cohort.can_view(user):
        abort(404)
    if manage and not cohort.can_manage(user):
        abort(403)
    return cohort


def get_session_or_404(session_id: int, *, user, manage: bool = False) -> TrainingSession:
    training_session = db.session.get(TrainingSession, session_id)
    if training_session is None or not training_session.cohort.can_view(user):
        abort(404)
    if manage and not training_session.cohort.can_manage(user):
        abort(403)
    return training_session


def get_coached_session_or_404(session_id: int, *, user) -> TrainingSession:
    """A session the user coaches (organisers of the programme and admins pass too)."""
    training_session = db.session.get(TrainingSession, session_id)
    if training_session is None:
        abort(404)
    if not (training_session.is_coached_by(user) or training_session.cohort.can_manage(user)):
        abort(404)
    return training_session
