"""Organizations and their unit tree."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.engine import transaction
from storage.errors import Conflict, InvalidInput, NotFound
from storage.organization_repo import (
    UnitNode,
    add_unit,
    create_organization,
    get_organization,
    get_unit,
    list_organizations,
    list_units,
    slugify,
    unit_tree,
)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Región Norte", "region-norte"),
        ("  Child & Family Services (CFS)  ", "child-family-services-cfs"),
        ("Niños—Unidad 3", "ninos-unidad-3"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_an_organization_gets_a_slug_from_its_name(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        organization = create_organization(session, "  Condado   de Río  ")
        assert (organization.name, organization.slug) == ("Condado de Río", "condado-de-rio")
    with transaction(session_factory) as session:
        assert get_organization(session, "condado-de-rio").name == "Condado de Río"


def test_organization_slugs_are_unique_and_well_formed(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        create_organization(session, "River County", slug="river")
        with pytest.raises(Conflict, match="already exists"):
            create_organization(session, "River Valley", slug="river")
        with pytest.raises(InvalidInput, match="lower-case letters"):
            create_organization(session, "Bad", slug="river county!")
        with pytest.raises(InvalidInput, match="empty"):
            create_organization(session, "   ")
        assert [org.slug for org in list_organizations(session)] == ["river"]
        with pytest.raises(NotFound, match="organizations: river"):
            get_organization(session, "lake")


def _agency_tree(session: Session) -> None:
    organization = create_organization(session, "River County", slug="river")
    north = add_unit(session, organization, "North Region")
    south = add_unit(session, organization, "South Region")
    add_unit(session, organization, "Intake", code="north-intake", parent=north)
    adoption = add_unit(session, organization, "Adoption", code="north-adoption", parent=north)
    add_unit(session, organization, "Kinship team", parent=adoption)
    add_unit(session, organization, "Intake", code="south-intake", parent=south)


def test_units_form_a_tree(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        _agency_tree(session)
    with transaction(session_factory) as session:
        tree = unit_tree(session, get_organization(session, "river"))

    def shape(node: UnitNode) -> tuple:
        return (node.code, tuple(shape(child) for child in node.children))

    assert [shape(root) for root in tree] == [
        (
            "north-region",
            (("north-adoption", (("kinship-team", ()),)), ("north-intake", ())),
        ),
        ("south-region", (("south-intake", ()),)),
    ]
    north = tree[0]
    assert [(depth, node.name) for depth, node in north.walk()] == [
        (0, "North Region"),
        (1, "Adoption"),
        (2, "Kinship team"),
        (1, "Intake"),
    ]
    assert north.subtree_ids() == {node.id for _, node in north.walk()}
    assert north.children[0].parent_id == north.id


def test_list_units_puts_every_parent_before_its_children(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        _agency_tree(session)
    with transaction(session_factory) as session:
        units = list_units(session, get_organization(session, "river"))
        codes = [unit.code for unit in units]
        assert codes == [
            "north-region",
            "north-adoption",
            "kinship-team",
            "north-intake",
            "south-region",
            "south-intake",
        ]
        seen: set[int] = set()
        for unit in units:
            assert unit.parent_id is None or unit.parent_id in seen
            seen.add(unit.id)


def test_unit_codes_are_unique_within_an_organization_only(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        river = create_organization(session, "River County")
        lake = create_organization(session, "Lake County")
        add_unit(session, river, "Intake")
        add_unit(session, lake, "Intake")  # the same code in another organization is fine
        with pytest.raises(Conflict, match="another code"):
            add_unit(session, river, "Intake")
        assert get_unit(session, lake, "intake").organization_id == lake.id


def test_a_parent_from_another_organization_is_refused(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        river = create_organization(session, "River County")
        lake = create_organization(session, "Lake County")
        lake_region = add_unit(session, lake, "Lake Region")
        with pytest.raises(InvalidInput, match="another organization"):
            add_unit(session, river, "Intake", parent=lake_region)


def test_a_missing_unit_is_not_found_with_the_codes_there_are(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        river = create_organization(session, "River County")
        add_unit(session, river, "Intake")
        with pytest.raises(NotFound, match="its units: intake"):
            get_unit(session, river, "adoption")
