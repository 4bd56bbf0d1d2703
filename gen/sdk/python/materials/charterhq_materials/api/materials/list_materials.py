from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.material_ordering import MaterialOrdering
from ...models.material_page import MaterialPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    ordering: MaterialOrdering | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset

    json_ordering: str | Unset = UNSET
    if not isinstance(ordering, Unset):
        json_ordering = ordering.value

    params["ordering"] = json_ordering

    params["is_active"] = is_active

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/materials",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MaterialPage | Problem | None:
    if response.status_code == 200:
        response_200 = MaterialPage.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[MaterialPage | Problem]:
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
    ordering: MaterialOrdering | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> Response[MaterialPage | Problem]:
    """List materials

     Returns one page of the materials the caller may see, with the total
    count of materials that match the filter.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        ordering (MaterialOrdering | Unset): A sortable field, with `-` for descending order.
            Example: -thickness.
        is_active (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MaterialPage | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        ordering=ordering,
        is_active=is_active,
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
    ordering: MaterialOrdering | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> MaterialPage | Problem | None:
    """List materials

     Returns one page of the materials the caller may see, with the total
    count of materials that match the filter.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        ordering (MaterialOrdering | Unset): A sortable field, with `-` for descending order.
            Example: -thickness.
        is_active (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MaterialPage | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
        ordering=ordering,
        is_active=is_active,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    ordering: MaterialOrdering | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> Response[MaterialPage | Problem]:
    """List materials

     Returns one page of the materials the caller may see, with the total
    count of materials that match the filter.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        ordering (MaterialOrdering | Unset): A sortable field, with `-` for descending order.
            Example: -thickness.
        is_active (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MaterialPage | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        ordering=ordering,
        is_active=is_active,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    ordering: MaterialOrdering | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> MaterialPage | Problem | None:
    """List materials

     Returns one page of the materials the caller may see, with the total
    count of materials that match the filter.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.
        ordering (MaterialOrdering | Unset): A sortable field, with `-` for descending order.
            Example: -thickness.
        is_active (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MaterialPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            offset=offset,
            ordering=ordering,
            is_active=is_active,
        )
    ).parsed
