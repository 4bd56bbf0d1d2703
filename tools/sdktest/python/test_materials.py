"""An integrator's use of the charterhq-materials-sdk package against a running server."""

import uuid
from http import HTTPStatus

import pytest
from charterhq_materials import AuthenticatedClient
from charterhq_materials.api.materials import (
    create_material,
    delete_material,
    get_material,
    list_materials,
    update_material,
)
from charterhq_materials.models import Material, MaterialOrdering, MaterialUpdate, Money, NewMaterial, Problem

from conftest import OTHER_COMPANY, OWN_COMPANY, env, etag, pointers, unique


def create(client, body: NewMaterial) -> Material:
    response = create_material.sync_detailed(client=client, body=body)
    assert response.status_code == HTTPStatus.CREATED, response.content
    assert isinstance(response.parsed, Material)
    return response.parsed


@pytest.fixture
def made(materials):
    """Materials a test made, deleted after it by the external user."""
    made: list[Material] = []
    yield made
    for m in made:
        delete_material.sync_detailed(m.id, client=materials["external"])


def test_a_request_with_a_forged_token_is_refused_with_a_problem():
    forged = AuthenticatedClient(base_url=env("CHARTER_MATERIALS_URL"), token="not.a.token")
    response = list_materials.sync_detailed(client=forged)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert isinstance(response.parsed, Problem)
    assert response.parsed.status == 401


def test_create_read_update_with_if_match_and_delete(materials):
    external = materials["external"]
    name = unique("Py steel")
    key = str(uuid.uuid4())
    body = NewMaterial(
        name=name, quality="S235", thickness=2.5, price_per_square_metre=Money(amount=1500, currency="EUR")
    )
    created = create_material.sync_detailed(client=external, body=body, idempotency_key=key)
    assert created.status_code == HTTPStatus.CREATED, created.content
    material = created.parsed
    assert isinstance(material, Material)
    assert material.company_id == OWN_COMPANY
    assert material.name == name
    assert material.is_active is True, "is_active defaults to true"
    assert material.price_per_square_metre == Money(amount=1500, currency="EUR")
    assert created.headers["Location"].endswith(f"/materials/{material.id}")

    # A retry with the same Idempotency-Key gets the first answer, not a
    # second material; the same key with another body is refused.
    retried = create_material.sync_detailed(client=external, body=body, idempotency_key=key)
    assert retried.status_code == HTTPStatus.CREATED
    assert retried.parsed.id == material.id
    other = NewMaterial(name=name, quality="S235", thickness=3)
    reused = create_material.sync_detailed(client=external, body=other, idempotency_key=key)
    assert reused.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert isinstance(reused.parsed, Problem)

    read = get_material.sync_detailed(material.id, client=external)
    assert read.status_code == HTTPStatus.OK
    assert read.parsed == material
    tag = etag(read)
    assert tag == etag(created), "create and get answer the same ETag"
    not_modified = get_material.sync_detailed(material.id, client=external, if_none_match=tag)
    assert not_modified.status_code == HTTPStatus.NOT_MODIFIED

    change = MaterialUpdate(name=name, quality="S355", thickness=3, is_active=False)
    updated = update_material.sync_detailed(material.id, client=external, body=change, if_match=tag)
    assert updated.status_code == HTTPStatus.OK, updated.content
    assert updated.parsed.quality == "S355"
    assert updated.parsed.is_active is False
    assert updated.parsed.price_per_square_metre == material.price_per_square_metre, (
        "an update without a price keeps it"
    )
    new_tag = etag(updated)
    assert new_tag != tag

    # The tag read before the update is stale now: neither write happens.
    lost = MaterialUpdate(name=name, quality="lost", thickness=4, is_active=True)
    stale = update_material.sync_detailed(material.id, client=external, body=lost, if_match=tag)
    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED
    assert isinstance(stale.parsed, Problem)
    assert stale.parsed.type_.endswith("precondition-failed")
    stale_delete = delete_material.sync_detailed(material.id, client=external, if_match=tag)
    assert stale_delete.status_code == HTTPStatus.PRECONDITION_FAILED

    deleted = delete_material.sync_detailed(material.id, client=external, if_match=new_tag)
    assert deleted.status_code == HTTPStatus.NO_CONTENT
    gone = get_material.sync_detailed(material.id, client=external)
    assert gone.status_code == HTTPStatus.NOT_FOUND
    assert isinstance(gone.parsed, Problem)
    assert gone.parsed.status == 404


def test_list_pages_in_the_order_asked_for(materials, made):
    external = materials["external"]
    # Inactive, and listed with is_active=False, so that active materials
    # made meanwhile stay off these pages.
    for thickness in (1.5, 0.5, 2.5):
        body = NewMaterial(name=unique("Py page"), quality="steel", thickness=thickness, is_active=False)
        made.append(create(external, body))

    newest = MaterialOrdering.ID_DESCENDING
    first = list_materials.sync_detailed(client=external, limit=2, offset=0, ordering=newest, is_active=False)
    assert first.status_code == HTTPStatus.OK
    page1 = first.parsed
    assert (page1.limit, page1.offset) == (2, 0)
    assert page1.count >= len(made)
    # Newest first: the last two made, in descending order of ID.
    assert [m.id for m in page1.items] == [made[2].id, made[1].id]

    page2 = list_materials.sync(client=external, limit=2, offset=2, ordering=newest, is_active=False)
    assert page2.offset == 2
    assert page2.count == page1.count
    assert page2.items[0].id == made[0].id

    everything = list_materials.sync(client=external, limit=100, ordering=MaterialOrdering.THICKNESS)
    thicknesses = [m.thickness for m in everything.items]
    assert thicknesses == sorted(thicknesses)
    assert {m.company_id for m in everything.items} == {OWN_COMPANY}, "an external user lists only its company's"

    bad_limit = list_materials.sync_detailed(client=external, limit=0)
    assert bad_limit.status_code == HTTPStatus.BAD_REQUEST
    assert "#/query/limit" in pointers(bad_limit.parsed)


def test_a_viewer_may_read_but_not_change(materials):
    viewer = materials["viewer"]
    assert list_materials.sync_detailed(client=viewer).status_code == HTTPStatus.OK
    body = NewMaterial(name=unique("Py viewer"), quality="steel", thickness=1)
    refused = create_material.sync_detailed(client=viewer, body=body)
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert isinstance(refused.parsed, Problem)
    assert refused.parsed.status == 403
    assert refused.parsed.title == "Forbidden"
    assert refused.parsed.request_id, "a problem names its request"


def test_another_companys_material_is_not_found(materials):
    staff, external = materials["staff"], materials["external"]
    theirs = create(
        staff, NewMaterial(company_id=OTHER_COMPANY, name=unique("Py theirs"), quality="steel", thickness=1)
    )
    try:
        read = get_material.sync_detailed(theirs.id, client=external)
        assert read.status_code == HTTPStatus.NOT_FOUND
        assert isinstance(read.parsed, Problem)
        assert read.parsed.type_.endswith("not-found")
        change = MaterialUpdate(name="mine now", quality="steel", thickness=1, is_active=True)
        assert (
            update_material.sync_detailed(theirs.id, client=external, body=change).status_code == HTTPStatus.NOT_FOUND
        )
        assert delete_material.sync_detailed(theirs.id, client=external).status_code == HTTPStatus.NOT_FOUND
        listed = list_materials.sync(client=external, limit=100)
        assert theirs.id not in {m.id for m in listed.items}
    finally:
        delete_material.sync_detailed(theirs.id, client=staff)


def test_invalid_fields_are_answered_with_json_pointers(materials):
    # Staff must name the company of a material, a rule of the token: 403.
    body = NewMaterial(name=unique("Py nobody's"), quality="steel", thickness=1)
    no_company = create_material.sync_detailed(client=materials["staff"], body=body)
    assert no_company.status_code == HTTPStatus.FORBIDDEN, no_company.content
    assert pointers(no_company.parsed) == ["#/company_id"]

    # A body the contract refuses: 400, one entry per field.
    invalid = create_material.sync_detailed(
        client=materials["external"], body=NewMaterial(name="", quality="steel", thickness=-1)
    )
    assert invalid.status_code == HTTPStatus.BAD_REQUEST
    assert pointers(invalid.parsed) == ["#/name", "#/thickness"]
