"""Object-level access for programmes, cohorts and sessions: every view loads through here.

`manage=True` asks for the right to change the object (organisers who manage the programme,
admins); without it, the object must be visible to the person (published, or manageable).
A person who may not see an object gets 404, so ids of drafts do not leak; a person who may see
but not manage it gets 403.
"""

from app.access import load_or_404
from app.programs.models import Cohort, Programme, TargetGroup
from app.sessions.models import TrainingSession


def get_programme_or_404(programme_id: int, *, user, manage: bool = False) -> Programme:
    return load_or_404(
        Programme, programme_id, allowed=lambda programme: not manage or programme.can_manage(user)
    )


def get_target_group_or_404(group_id: int, *, user, manage: bool = False) -> TargetGroup:
    return load_or_404(
        TargetGroup,
        group_id,
        allowed=lambda group: not manage or group.programme.can_manage(user),
    )


def get_cohort_or_404(cohort_id: int, *, user, manage: bool = False) -> Cohort:
    return load_or_404(
        Cohort,
        cohort_id,
        visible=lambda cohort: cohort.can_view(user),
        allowed=lambda cohort: not manage or cohort.can_manage(user),
    )


def get_session_or_404(session_id: int, *, user, manage: bool = False) -> TrainingSession:
    return load_or_404(
        TrainingSession,
        session_id,
        visible=lambda training_session: training_session.cohort.can_view(user),
        allowed=lambda training_session: not manage or training_session.cohort.can_manage(user),
    )


def get_coached_session_or_404(session_id: int, *, user) -> TrainingSession:
    """A session the user coaches (organisers of the programme and admins pass too)."""
    return load_or_404(
        TrainingSession,
        session_id,
        visible=lambda training_session: (
            training_session.is_coached_by(user) or training_session.cohort.can_manage(user)
        ),
    )
