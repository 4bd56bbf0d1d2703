from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.quote_ordering import QuoteOrdering
from ...models.quote_page import QuotePage
from ...models.quote_state import QuoteState
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    ordering: QuoteOrdering | Unset = UNSET,
    state: QuoteState | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset

    json_ordering: str | Unset = UNSET
    if not isinstance(ordering, Unset):
        json_ordering = ordering.value

    params["ordering"] = json_ordering

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/quotes",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | QuotePage | None:
    if response.status_code == 200:
        response_200 = QuotePage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | QuotePage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    ordering: QuoteOrdering | Unset = UNSET,
    state: QuoteState | Unset = UNSET,
) -> Response[Problem | QuotePage]:
    """List quotes

     Returns one page of the quotes the caller may see, with the total
    count of quotes that match the filter.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        ordering (QuoteOrdering | Unset): A sortable field, with `-` for descending order.
            Example: -created_at.
        state (QuoteState | Unset): Where the quote is in its life. Example: submitted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | QuotePage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        ordering=ordering,
        state=state,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    ordering: QuoteOrdering | Unset = UNSET,
    state: QuoteState | Unset = UNSET,
) -> Problem | QuotePage | None:
    """List quotes

     Returns one page of the quotes the caller may see, with the total
    count of quotes that match the filter.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        ordering (QuoteOrdering | Unset): A sortable field, with `-` for descending order.
            Example: -created_at.
        state (QuoteState | Unset): Where the quote is in its life. Example: submitted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | QuotePage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
        ordering=ordering,
        state=state,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    ordering: QuoteOrdering | Unset = UNSET,
    state: QuoteState | Unset = UNSET,
) -> Response[Problem | QuotePage]:
    """List quotes

     Returns one page of the quotes the caller may see, with the total
    count of quotes that match the filter.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        ordering (QuoteOrdering | Unset): A sortable field, with `-` for descending order.
            Example: -created_at.
        state (QuoteState | Unset): Where the quote is in its life. Example: submitted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | QuotePage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        ordering=ordering,
        state=state,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    ordering: QuoteOrdering | Unset = UNSET,
    state: QuoteState | Unset = UNSET,
) -> Problem | QuotePage | None:
    """List quotes

     Returns one page of the quotes the caller may see, with the total
    count of quotes that match the filter.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        ordering (QuoteOrdering | Unset): A sortable field, with `-` for descending order.
            Example: -created_at.
        state (QuoteState | Unset): Where the quote is in its life. Example: submitted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | QuotePage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            offset=offset,
            ordering=ordering,
            state=state,
        )
    ).parsed
