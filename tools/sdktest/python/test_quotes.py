"""An integrator's use of the charterhq-quotes-sdk package against a running
server, quoting a material made with charterhq-materials-sdk."""

from http import HTTPStatus

import pytest
from charterhq_materials.api.materials import create_material, delete_material
from charterhq_materials.models import Material, NewMaterial
from charterhq_materials.models import Money as MaterialsMoney
from charterhq_quotes.api.quotes import (
    accept_quote,
    create_quote,
    delete_quote,
    get_quote,
    list_quotes,
    replace_quote_lines,
    submit_quote,
)
from charterhq_quotes.models import (
    Money,
    NewQuote,
    NewQuoteLine,
    Problem,
    Quote,
    QuoteLines,
    QuoteOrdering,
    QuoteState,
)

from conftest import OTHER_COMPANY, OWN_COMPANY, etag, pointers, unique


@pytest.fixture(scope="module")
def material(materials) -> Material:
    """A priced material of the external user's company, which the lines cut."""
    body = NewMaterial(
        name=unique("Py quoted"), quality="steel", thickness=2, price_per_square_metre=MaterialsMoney(2000, "EUR")
    )
    response = create_material.sync_detailed(client=materials["external"], body=body)
    assert response.status_code == HTTPStatus.CREATED, response.content
    yield response.parsed
    delete_material.sync_detailed(response.parsed.id, client=materials["external"])


@pytest.fixture
def line(material):
    def line(quantity: int) -> NewQuoteLine:
        return NewQuoteLine(material_id=material.id, quantity=quantity, width_mm=1000, height_mm=500)

    return line


def create(client, body: NewQuote) -> Quote:
    response = create_quote.sync_detailed(client=client, body=body)
    assert response.status_code == HTTPStatus.CREATED, response.content
    assert isinstance(response.parsed, Quote)
    return response.parsed


def test_draft_lines_replaced_with_if_match_submitted_and_accepted(quotes, line):
    external = quotes["external"]
    created = create_quote.sync_detailed(client=external, body=NewQuote(lines=[line(2)]))
    assert created.status_code == HTTPStatus.CREATED, created.content
    quote = created.parsed
    assert quote.state == QuoteState.DRAFT
    assert quote.company_id == OWN_COMPANY
    assert len(quote.lines) == 1

    read = get_quote.sync_detailed(quote.id, client=external)
    assert read.status_code == HTTPStatus.OK
    assert read.parsed == quote
    tag = etag(read)

    replaced = replace_quote_lines.sync_detailed(
        quote.id, client=external, body=QuoteLines(lines=[line(4), line(1)]), if_match=tag
    )
    assert replaced.status_code == HTTPStatus.OK, replaced.content
    assert [ln.quantity for ln in replaced.parsed.lines] == [4, 1]
    assert etag(replaced) != tag

    lost = replace_quote_lines.sync_detailed(quote.id, client=external, body=QuoteLines(lines=[line(9)]), if_match=tag)
    assert lost.status_code == HTTPStatus.PRECONDITION_FAILED
    assert isinstance(lost.parsed, Problem)

    submitted = submit_quote.sync_detailed(quote.id, client=external)
    assert submitted.status_code == HTTPStatus.OK, submitted.content
    sent = submitted.parsed
    assert sent.state == QuoteState.SUBMITTED
    assert sent.valid_until and sent.submitted_at
    # 0.5 m² a part at 20.00 EUR/m²: 10.00 EUR a part, 5 parts.
    assert [ln.unit_price for ln in sent.lines] == [Money(1000, "EUR"), Money(1000, "EUR")]
    assert sent.total == Money(5000, "EUR")

    # A submitted quote cannot be changed: 409.
    late = replace_quote_lines.sync_detailed(quote.id, client=external, body=QuoteLines(lines=[line(1)]))
    assert late.status_code == HTTPStatus.CONFLICT
    assert isinstance(late.parsed, Problem)

    accepted = accept_quote.sync_detailed(quote.id, client=quotes["staff"])
    assert accepted.status_code == HTTPStatus.OK, accepted.content
    assert accepted.parsed.state == QuoteState.ACCEPTED
    assert accepted.parsed.decided_at


def test_delete_a_draft_with_if_match(quotes, line):
    external = quotes["external"]
    draft = create(external, NewQuote(lines=[line(1)]))
    tag = etag(get_quote.sync_detailed(draft.id, client=external))
    changed = replace_quote_lines.sync_detailed(draft.id, client=external, body=QuoteLines(lines=[]))
    assert changed.status_code == HTTPStatus.OK

    stale = delete_quote.sync_detailed(draft.id, client=external, if_match=tag)
    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED
    deleted = delete_quote.sync_detailed(draft.id, client=external, if_match=etag(changed))
    assert deleted.status_code == HTTPStatus.NO_CONTENT
    gone = get_quote.sync_detailed(draft.id, client=external)
    assert gone.status_code == HTTPStatus.NOT_FOUND
    assert isinstance(gone.parsed, Problem)


def test_list_pages_in_the_order_asked_for_filtered_by_state(quotes, line):
    external = quotes["external"]
    made = [create(external, NewQuote(lines=[line(i + 1)])) for i in range(3)]
    try:
        newest = QuoteOrdering.ID_DESCENDING
        page1 = list_quotes.sync(client=external, limit=2, ordering=newest, state=QuoteState.DRAFT)
        assert (page1.limit, page1.offset) == (2, 0)
        assert [q.id for q in page1.items] == [made[2].id, made[1].id]
        assert page1.count >= 3
        page2 = list_quotes.sync(client=external, limit=2, offset=2, ordering=newest, state=QuoteState.DRAFT)
        assert page2.count == page1.count
        assert page2.items[0].id == made[0].id

        ascending = list_quotes.sync(client=external, limit=100, ordering=QuoteOrdering.ID)
        ids = [q.id for q in ascending.items]
        assert ids == sorted(ids)
        assert {q.company_id for q in ascending.items} == {OWN_COMPANY}

        submitted = list_quotes.sync(client=external, limit=100, state=QuoteState.SUBMITTED)
        assert all(q.state == QuoteState.SUBMITTED for q in submitted.items)
    finally:
        for q in made:
            delete_quote.sync_detailed(q.id, client=external)


def test_a_viewer_may_read_but_not_change(quotes, line):
    viewer = quotes["viewer"]
    assert list_quotes.sync_detailed(client=viewer).status_code == HTTPStatus.OK
    refused = create_quote.sync_detailed(client=viewer, body=NewQuote(lines=[line(1)]))
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert isinstance(refused.parsed, Problem)
    assert refused.parsed.status == 403
    assert refused.parsed.detail


def test_another_companys_quote_is_not_found(quotes):
    staff, external = quotes["staff"], quotes["external"]
    theirs = create(staff, NewQuote(company_id=OTHER_COMPANY))
    try:
        read = get_quote.sync_detailed(theirs.id, client=external)
        assert read.status_code == HTTPStatus.NOT_FOUND
        assert read.parsed.type_.endswith("not-found")
        lines = replace_quote_lines.sync_detailed(theirs.id, client=external, body=QuoteLines(lines=[]))
        assert lines.status_code == HTTPStatus.NOT_FOUND
        assert submit_quote.sync_detailed(theirs.id, client=external).status_code == HTTPStatus.NOT_FOUND
        assert delete_quote.sync_detailed(theirs.id, client=external).status_code == HTTPStatus.NOT_FOUND
    finally:
        delete_quote.sync_detailed(theirs.id, client=staff)


def test_invalid_fields_are_answered_with_json_pointers(quotes, materials, line):
    no_company = create_quote.sync_detailed(client=quotes["staff"], body=NewQuote(lines=[]))
    assert no_company.status_code == HTTPStatus.FORBIDDEN, no_company.content
    assert pointers(no_company.parsed) == ["#/company_id"]

    # A draft without lines cannot be submitted: 409 pointing at its lines.
    external = quotes["external"]
    empty = create(external, NewQuote())
    try:
        submit = submit_quote.sync_detailed(empty.id, client=external)
        assert submit.status_code == HTTPStatus.CONFLICT, submit.content
        assert pointers(submit.parsed) == ["#/lines"]
    finally:
        delete_quote.sync_detailed(empty.id, client=external)

    # A request the contract accepts whose total the service cannot carry
    # out: 422, pointing at the line.
    price = MaterialsMoney(2**53 - 1, "EUR")
    body = NewMaterial(name=unique("Py dear"), quality="gold", thickness=1, price_per_square_metre=price)
    dear = create_material.sync_detailed(client=materials["external"], body=body).parsed
    too_dear = create(
        external, NewQuote(lines=[NewQuoteLine(material_id=dear.id, quantity=4, width_mm=1000, height_mm=500)])
    )
    try:
        submit = submit_quote.sync_detailed(too_dear.id, client=external)
        assert submit.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, submit.content
        assert isinstance(submit.parsed, Problem)
        assert pointers(submit.parsed) == ["#/lines/0"]
    finally:
        delete_quote.sync_detailed(too_dear.id, client=external)
        delete_material.sync_detailed(dear.id, client=materials["external"])

    bad = line(0)
    bad.width_mm = 0
    invalid = create_quote.sync_detailed(client=external, body=NewQuote(lines=[bad]))
    assert invalid.status_code == HTTPStatus.BAD_REQUEST
    assert pointers(invalid.parsed) == ["#/lines/0/quantity", "#/lines/0/width_mm"]
