from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.material import Material


T = TypeVar("T", bound="MaterialPage")


@_attrs_define
class MaterialPage:
    """One page of materials and the total count that matches the filter.

    Example:
        {'count': 1, 'items': [{'company_id': 1, 'created_at': '2026-11-23T09:30:00Z', 'id': 1, 'is_active': True,
            'name': '10 mm Steel', 'price_per_square_metre': {'amount': 12000, 'currency': 'EUR'}, 'quality': 'steel',
            'thickness': 10, 'updated_at': '2026-11-23T09:30:00Z'}], 'limit': 20, 'offset': 0}

    """

    count: int
    """ How many materials match the filter, on every page. """
    items: list[Material]
    limit: int
    """ The page size used. """
    offset: int
    """ The offset used. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        limit = self.limit

        offset = self.offset

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "items": items,
                "limit": limit,
                "offset": offset,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.material import Material  # noqa: PLC0415

        d = dict(src_dict)
        count = d.pop("count")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = Material.from_dict(items_item_data)

            items.append(items_item)

        limit = d.pop("limit")

        offset = d.pop("offset")

        material_page = cls(
            count=count,
            items=items,
            limit=limit,
            offset=offset,
        )

        material_page.additional_properties = d
        return material_page

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
