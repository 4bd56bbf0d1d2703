from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.quote import Quote
from ...types import UNSET, Response, Unset


def _get_kwargs(
    quote_id: int,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/quotes/{quote_id}/submit".format(
            quote_id=quote(str(quote_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Quote | None:
    if response.status_code == 200:
        response_200 = Quote.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Quote]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    quote_id: int,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Quote]:
    """Submit a draft

     Prices every line from the materials service, fixes those prices
    and the quote's total, and starts its validity. A line whose
    material is unknown, inactive, unpriced or priced in another
    currency than the other lines makes the submission fail with 409
    pointing at that line, as does a draft without lines: the request
    is valid, the draft as it is now cannot be submitted. A line whose
    price or total would exceed the largest amount is answered 422.

    Args:
        quote_id (int):  Example: 1.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Quote]
    """

    kwargs = _get_kwargs(
        quote_id=quote_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    quote_id: int,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Quote | None:
    """Submit a draft

     Prices every line from the materials service, fixes those prices
    and the quote's total, and starts its validity. A line whose
    material is unknown, inactive, unpriced or priced in another
    currency than the other lines makes the submission fail with 409
    pointing at that line, as does a draft without lines: the request
    is valid, the draft as it is now cannot be submitted. A line whose
    price or total would exceed the largest amount is answered 422.

    Args:
        quote_id (int):  Example: 1.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Quote
    """

    return sync_detailed(
        quote_id=quote_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    quote_id: int,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Quote]:
    """Submit a draft

     Prices every line from the materials service, fixes those prices
    and the quote's total, and starts its validity. A line whose
    material is unknown, inactive, unpriced or priced in another
    currency than the other lines makes the submission fail with 409
    pointing at that line, as does a draft without lines: the request
    is valid, the draft as it is now cannot be submitted. A line whose
    price or total would exceed the largest amount is answered 422.

    Args:
        quote_id (int):  Example: 1.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Quote]
    """

    kwargs = _get_kwargs(
        quote_id=quote_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    quote_id: int,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Quote | None:
    """Submit a draft

     Prices every line from the materials service, fixes those prices
    and the quote's total, and starts its validity. A line whose
    material is unknown, inactive, unpriced or priced in another
    currency than the other lines makes the submission fail with 409
    pointing at that line, as does a draft without lines: the request
    is valid, the draft as it is now cannot be submitted. A line whose
    price or total would exceed the largest amount is answered 422.

    Args:
        quote_id (int):  Example: 1.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Quote
    """

    return (
        await asyncio_detailed(
            quote_id=quote_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
