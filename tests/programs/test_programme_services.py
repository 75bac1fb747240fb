"""Programmes, their eligibility criteria, certificate rule, target groups and managers."""

import pytest

from app.catalogues.models import Question
from app.extensions import db
from app.programs import services
from app.programs.errors import NotAllowed, Refused, ValidationFailed
from app.programs.models import EligibilityCriterion, Programme, TargetGroup
from app.programs.services import ProgrammeInput, TargetGroupInput
from app.programs.slugs import slugify
from tests.factories import UserFactory
from tests.programs.factories import cohort, count, organiser, programme, training_session

pytestmark = pytest.mark.usefixtures("english_messages")

CRITERIA = [
    "Ich arbeite an einem Klimamobilitätsplan.",
    "Ich bin Koordinator:in nach KlimaBW § 29.",
    "Meine Kommune ist im Kommunennetzwerk.",
]


@pytest.fixture
def actor(app):
    return organiser(name="Olga Organisatorin", email="olga@kommune.example")


def create(actor, **fields) -> Programme:
    values = {"title": "Mutig voran beim Klimaschutz im Verkehr"} | fields
    created = services.create_programme(ProgrammeInput(**values), actor=actor)
    db.session.commit()
    return created


def refused_programme(actor, **fields) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        services.create_programme(ProgrammeInput(**({"title": "Titel"} | fields)), actor=actor)
    db.session.rollback()
    assert count(Programme) == 0
    assert count(EligibilityCriterion) == 0
    return caught.value


def test_the_creator_manages_the_new_programme_and_the_slug_comes_from_the_title(actor):
    created = create(
        actor,
        summary="Kurz",
        eligibility_criteria=CRITERIA,
        eligibility_min_criteria=1,
        cert_requires_kickoff=True,
        cert_min_impulse_trainings=2,
        cert_requires_closing=True,
        cert_min_hours=10.5,
        auto_approve=True,
    )

    db.session.expire_all()
    stored = db.session.get(Programme, created.id)
    assert stored.slug == "mutig-voran-beim-klimaschutz-im-verkehr"
    assert stored.managers == [actor]
    assert [c.text for c in stored.eligibility_criteria] == CRITERIA
    assert stored.eligibility_min_criteria == 1
    assert stored.impulse_trainings_per_participant == 3
    assert (stored.cert_requires_kickoff, stored.cert_min_impulse_trainings) == (True, 2)
    assert (stored.cert_requires_closing, stored.cert_min_hours) == (True, 10.5)
    assert stored.auto_approve is True
    assert stored.has_certificate_rule


def test_new_programmes_do_not_approve_automatically_and_book_three_trainings(actor):
    created = create(actor)
    assert (created.auto_approve, created.impulse_trainings_per_participant) == (False, 3)
    assert not created.has_certificate_rule


def test_slugs_are_ascii_and_unique(actor):
    assert slugify("Führung & Straßen – Übergänge!") == "fuehrung-strassen-uebergaenge"
    first = create(actor, title="Radverkehr")
    second = create(actor, title="Radverkehr")
    third = create(actor, title="Radverkehr")
    assert [first.slug, second.slug, third.slug] == ["radverkehr", "radverkehr-2", "radverkehr-3"]


def test_a_title_without_letters_still_gets_a_slug(actor):
    assert create(actor, title="???").slug == "programme"


def test_a_slug_chosen_by_hand_must_be_free_and_well_formed(actor):
    create(actor, title="Radverkehr")
    with pytest.raises(ValidationFailed) as caught:
        services.create_programme(ProgrammeInput(title="Neu", slug="radverkehr"), actor=actor)
    assert caught.value.field == "slug"
    assert "already uses" in str(caught.value.message)
    db.session.rollback()
    assert count(Programme) == 1
    with pytest.raises(ValidationFailed) as caught:
        services.create_programme(ProgrammeInput(title="Neu", slug="Rad Verkehr"), actor=actor)
    assert caught.value.field == "slug"


@pytest.mark.parametrize("minimum", [0, 4, -1])
def test_the_criteria_that_must_hold_are_between_one_and_their_number(actor, minimum):
    error = refused_programme(
        actor, eligibility_criteria=CRITERIA, eligibility_min_criteria=minimum
    )
    assert error.field == "eligibility_min_criteria"
    assert "between 1 and the number of criteria (3)" in str(error.message)


def test_without_criteria_nothing_has_to_hold(actor):
    assert (
        create(actor, eligibility_criteria=[], eligibility_min_criteria=5).eligibility_min_criteria
        == 0
    )


def test_a_criterion_longer_than_500_characters_is_refused(actor):
    error = refused_programme(actor, eligibility_criteria=["kurz", "x" * 501])
    assert error.field == "eligibility_criteria"
    assert "criterion 2" in str(error.message)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"summary": "x" * 501}, "summary"),
        ({"impulse_trainings_per_participant": -1}, "impulse_trainings_per_participant"),
        ({"impulse_trainings_per_participant": 21}, "impulse_trainings_per_participant"),
        ({"cert_min_impulse_trainings": 4}, "cert_min_impulse_trainings"),
        ({"cert_min_impulse_trainings": -1}, "cert_min_impulse_trainings"),
        ({"cert_min_hours": -0.5}, "cert_min_hours"),
        ({"cert_min_hours": 1000}, "cert_min_hours"),
    ],
)
def test_bad_programme_settings_are_refused_on_their_field(actor, fields, field):
    assert refused_programme(actor, **fields).field == field


def test_the_certificate_cannot_ask_for_more_trainings_than_people_book(actor):
    error = refused_programme(
        actor, impulse_trainings_per_participant=2, cert_min_impulse_trainings=3
    )
    assert error.field == "cert_min_impulse_trainings"
    assert "(2)" in str(error.message)


def test_editing_keeps_the_criteria_rows_in_place(actor):
    created = create(actor, eligibility_criteria=CRITERIA[:2])
    ids = [c.id for c in created.eligibility_criteria]
    services.update_programme(
        created,
        ProgrammeInput(
            title="Neuer Titel",
            eligibility_criteria=["Geändert", CRITERIA[1], CRITERIA[2]],
            eligibility_min_criteria=2,
        ),
        actor=actor,
    )
    db.session.commit()

    db.session.expire_all()
    stored = db.session.get(Programme, created.id)
    assert stored.title == "Neuer Titel"
    assert stored.slug == "mutig-voran-beim-klimaschutz-im-verkehr"
    assert [c.text for c in stored.eligibility_criteria] == ["Geändert", *CRITERIA[1:]]
    assert [c.id for c in stored.eligibility_criteria][:2] == ids
    assert stored.eligibility_min_criteria == 2

    services.update_programme(
        stored, ProgrammeInput(title="Kürzer", eligibility_criteria=["Nur eins"]), actor=actor
    )
    db.session.commit()
    assert count(EligibilityCriterion) == 1


def test_a_refused_edit_changes_nothing(actor):
    created = create(actor, eligibility_criteria=CRITERIA)
    with pytest.raises(ValidationFailed):
        services.update_programme(
            created,
            ProgrammeInput(
                title="Anders", eligibility_criteria=CRITERIA, eligibility_min_criteria=9
            ),
            actor=actor,
        )
    db.session.rollback()
    db.session.expire_all()
    stored = db.session.get(Programme, created.id)
    assert stored.title == "Mutig voran beim Klimaschutz im Verkehr"
    assert stored.eligibility_min_criteria == 1


def test_only_organisers_create_and_only_managers_edit(actor):
    with pytest.raises(NotAllowed):
        services.create_programme(ProgrammeInput(title="X"), actor=UserFactory(role="coach"))
    created = create(actor)
    with pytest.raises(NotAllowed):
        services.update_programme(created, ProgrammeInput(title="Y"), actor=organiser())
    services.update_programme(created, ProgrammeInput(title="Y"), actor=UserFactory(role="admin"))


def test_organisers_see_the_programmes_they_manage_and_admins_see_all(actor):
    own = create(actor, title="Eigenes")
    create(organiser(), title="Fremdes")
    assert services.managed_programmes(actor) == [own]
    assert len(services.managed_programmes(UserFactory(role="admin"))) == 2


def test_managers_can_be_added_and_removed_but_not_the_last(actor):
    created = create(actor)
    colleague = organiser(name="Carla Kollegin", email="carla@kommune.example")
    services.add_manager(created, "  CARLA@kommune.example ", actor=actor)
    db.session.commit()
    assert set(created.managers) == {actor, colleague}

    with pytest.raises(ValidationFailed, match="already manages") as caught:
        services.add_manager(created, colleague.email, actor=actor)
    assert caught.value.field == "email"

    services.remove_manager(created, actor, actor=colleague)
    db.session.commit()
    assert created.managers == [colleague]
    with pytest.raises(Refused, match="at least one manager"):
        services.remove_manager(created, colleague, actor=colleague)


@pytest.mark.parametrize("role", ["participant", "coach"])
def test_only_organisers_can_become_managers(actor, role):
    created = create(actor)
    someone = UserFactory(role=role)
    with pytest.raises(ValidationFailed, match="no organiser") as caught:
        services.add_manager(created, someone.email, actor=actor)
    assert caught.value.field == "email"
    with pytest.raises(ValidationFailed):
        services.add_manager(created, "niemand@kommune.example", actor=actor)


def test_target_groups_are_added_in_order_with_unique_slugs(actor):
    created = create(actor)
    for name in ("Führungsebene", "Verkehrsplaner:innen", "Führungsebene"):
        services.create_target_group(created, TargetGroupInput(name=name), actor=actor)
    db.session.commit()
    db.session.expire_all()
    groups = db.session.get(Programme, created.id).target_groups
    assert [(g.slug, g.position) for g in groups] == [
        ("fuehrungsebene", 0),
        ("verkehrsplaner-innen", 1),
        ("fuehrungsebene-2", 2),
    ]


def test_a_target_group_needs_a_name_and_a_free_slug(actor):
    created = programme(actor, groups=("Führungsebene",))
    with pytest.raises(ValidationFailed) as caught:
        services.create_target_group(created, TargetGroupInput(name=" "), actor=actor)
    assert caught.value.field == "name"
    with pytest.raises(ValidationFailed) as caught:
        services.create_target_group(
            created, TargetGroupInput(name="Andere", slug="fuehrungsebene"), actor=actor
        )
    assert caught.value.field == "slug"
    db.session.rollback()
    assert count(TargetGroup) == 1


def test_a_target_group_can_be_renamed(actor):
    group = programme(actor, groups=("Fuehrung",)).target_groups[0]
    services.update_target_group(
        group, TargetGroupInput(name="Führungsebene", description="Chefetage"), actor=actor
    )
    db.session.commit()
    assert (group.name, group.slug, group.description) == ("Führungsebene", "fuehrung", "Chefetage")


def test_target_groups_can_be_reordered(actor):
    created = programme(actor, groups=("A", "B", "C"))
    a, b, c = created.target_groups
    services.move_target_group(c, -1, actor=actor)
    services.move_target_group(a, -1, actor=actor)  # already first: nothing happens
    db.session.commit()
    db.session.expire_all()
    assert [g.name for g in db.session.get(Programme, created.id).target_groups] == ["A", "C", "B"]
    services.move_target_group(db.session.get(TargetGroup, a.id), 1, actor=actor)
    db.session.commit()
    db.session.expire_all()
    assert [g.name for g in db.session.get(Programme, created.id).target_groups] == ["C", "A", "B"]


def test_removing_a_target_group_takes_its_catalogue_along(actor):
    created = programme(actor, groups=("A", "B"))
    group = created.target_groups[0]
    db.session.add(Question(target_group=group, text="Wie fange ich an?"))
    db.session.commit()

    services.delete_target_group(group, actor=actor)
    db.session.commit()
    assert count(TargetGroup) == 1
    assert count(Question) == 0
    assert [(g.name, g.position) for g in created.target_groups] == [("B", 0)]


def test_a_target_group_that_sessions_are_for_cannot_be_removed(actor):
    created = programme(actor, groups=("Führungsebene",))
    group = created.target_groups[0]
    training_session(cohort(created, actor), actor, audience=group.id)

    with pytest.raises(Refused) as caught:
        services.delete_target_group(group, actor=actor)
    assert "“Führungsebene” is the audience of 1 session(s)" in str(caught.value.message)
    db.session.rollback()
    assert count(TargetGroup) == 1
