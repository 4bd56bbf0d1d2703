from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.material import Material
from ...models.material_update import MaterialUpdate
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    material_id: int,
    *,
    body: MaterialUpdate,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/materials/{material_id}".format(
            material_id=quote(str(material_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Material | Problem | None:
    if response.status_code == 200:
        response_200 = Material.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Material | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    material_id: int,
    *,
    client: AuthenticatedClient,
    body: MaterialUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Material | Problem]:
    """Update a material

     Replaces the name, quality, thickness and active flag of a material,
    and its price per square metre when the request gives one: a request
    without `price_per_square_metre` keeps the current price, so that a
    client written before prices existed does not erase them.

    Args:
        material_id (int):  Example: 1.
        if_match (str | Unset):
        body (MaterialUpdate): The new state of a material's editable fields. Every field but the
            price is replaced. `price_per_square_metre`, the new price of one
            square metre of the sheet, is optional: left out, the material
            keeps its current price (or its absence), so that a client written
            before prices existed does not erase them. An update never removes
            a price.
             Example: {'is_active': True, 'name': '12 mm Steel', 'price_per_square_metre': {'amount':
            14400, 'currency': 'EUR'}, 'quality': 'steel', 'thickness': 12}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Material | Problem]
    """

    kwargs = _get_kwargs(
        material_id=material_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    material_id: int,
    *,
    client: AuthenticatedClient,
    body: MaterialUpdate,
    if_match: str | Unset = UNSET,
) -> Material | Problem | None:
    """Update a material

     Replaces the name, quality, thickness and active flag of a material,
    and its price per square metre when the request gives one: a request
    without `price_per_square_metre` keeps the current price, so that a
    client written before prices existed does not erase them.

    Args:
        material_id (int):  Example: 1.
        if_match (str | Unset):
        body (MaterialUpdate): The new state of a material's editable fields. Every field but the
            price is replaced. `price_per_square_metre`, the new price of one
            square metre of the sheet, is optional: left out, the material
            keeps its current price (or its absence), so that a client written
            before prices existed does not erase them. An update never removes
            a price.
             Example: {'is_active': True, 'name': '12 mm Steel', 'price_per_square_metre': {'amount':
            14400, 'currency': 'EUR'}, 'quality': 'steel', 'thickness': 12}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Material | Problem
    """

    return sync_detailed(
        material_id=material_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    material_id: int,
    *,
    client: AuthenticatedClient,
    body: MaterialUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Material | Problem]:
    """Update a material

     Replaces the name, quality, thickness and active flag of a material,
    and its price per square metre when the request gives one: a request
    without `price_per_square_metre` keeps the current price, so that a
    client written before prices existed does not erase them.

    Args:
        material_id (int):  Example: 1.
        if_match (str | Unset):
        body (MaterialUpdate): The new state of a material's editable fields. Every field but the
            price is replaced. `price_per_square_metre`, the new price of one
            square metre of the sheet, is optional: left out, the material
            keeps its current price (or its absence), so that a client written
            before prices existed does not erase them. An update never removes
            a price.
             Example: {'is_active': True, 'name': '12 mm Steel', 'price_per_square_metre': {'amount':
            14400, 'currency': 'EUR'}, 'quality': 'steel', 'thickness': 12}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Material | Problem]
    """

    kwargs = _get_kwargs(
        material_id=material_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    material_id: int,
    *,
    client: AuthenticatedClient,
    body: MaterialUpdate,
    if_match: str | Unset = UNSET,
) -> Material | Problem | None:
    """Update a material

     Replaces the name, quality, thickness and active flag of a material,
    and its price per square metre when the request gives one: a request
    without `price_per_square_metre` keeps the current price, so that a
    client written before prices existed does not erase them.

    Args:
        material_id (int):  Example: 1.
        if_match (str | Unset):
        body (MaterialUpdate): The new state of a material's editable fields. Every field but the
            price is replaced. `price_per_square_metre`, the new price of one
            square metre of the sheet, is optional: left out, the material
            keeps its current price (or its absence), so that a client written
            before prices existed does not erase them. An update never removes
            a price.
             Example: {'is_active': True, 'name': '12 mm Steel', 'price_per_square_metre': {'amount':
            14400, 'currency': 'EUR'}, 'quality': 'steel', 'thickness': 12}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Material | Problem
    """

    return (
        await asyncio_detailed(
            material_id=material_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
