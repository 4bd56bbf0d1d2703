from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="Material")


@_attrs_define
class Material:
    """A sheet-metal material of one company.

    `price_per_square_metre` is what one square metre of the sheet
    costs at its thickness, the figure quotes price their lines from.
    It is absent while the material has no price, as for materials
    created before prices existed.

        Example:
            {'company_id': 1, 'created_at': '2026-11-23T09:30:00Z', 'id': 1, 'is_active': True, 'name': '10 mm Steel',
                'price_per_square_metre': {'amount': 12000, 'currency': 'EUR'}, 'quality': 'steel', 'thickness': 10,
                'updated_at': '2026-11-23T09:30:00Z'}

    """

    company_id: int
    """ The company the material belongs to. """
    created_at: datetime.datetime
    id: int
    is_active: bool
    """ Whether the material can be used in new quotes. """
    name: str
    """ A name, unique within the company: one line with something to
    see, that is at least one letter, digit, punctuation mark or
    symbol, and no control character (no tab or line break either).
    A name of spaces alone, or of invisible characters such as U+00A0,
    U+200B or U+FEFF, is refused. A client that checks the pattern
    reads it with Unicode semantics (JavaScript's `u` flag).
     """
    quality: str
    """ The grade or alloy of the material: one line with something to
    see, as a name.
     """
    thickness: float
    """ The thickness in millimetres. """
    updated_at: datetime.datetime
    price_per_square_metre: Money | Unset = UNSET
    """ An amount of money: a whole number of its currency's minor unit
    (cents for EUR and USD, yen for JPY, which has none smaller), never a
    floating-point number, so that every sum and rounding is exact; and
    the ISO 4217 code of the currency.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        company_id = self.company_id

        created_at = self.created_at.isoformat()

        id = self.id

        is_active = self.is_active

        name = self.name

        quality = self.quality

        thickness = self.thickness

        updated_at = self.updated_at.isoformat()

        price_per_square_metre: dict[str, Any] | Unset = UNSET
        if not isinstance(self.price_per_square_metre, Unset):
            price_per_square_metre = self.price_per_square_metre.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "company_id": company_id,
                "created_at": created_at,
                "id": id,
                "is_active": is_active,
                "name": name,
                "quality": quality,
                "thickness": thickness,
                "updated_at": updated_at,
            }
        )
        if price_per_square_metre is not UNSET:
            field_dict["price_per_square_metre"] = price_per_square_metre

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        company_id = d.pop("company_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        is_active = d.pop("is_active")

        name = d.pop("name")

        quality = d.pop("quality")

        thickness = d.pop("thickness")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        _price_per_square_metre = d.pop("price_per_square_metre", UNSET)
        price_per_square_metre: Money | Unset
        if isinstance(_price_per_square_metre, Unset):
            price_per_square_metre = UNSET
        else:
            price_per_square_metre = Money.from_dict(_price_per_square_metre)

        material = cls(
            company_id=company_id,
            created_at=created_at,
            id=id,
            is_active=is_active,
            name=name,
            quality=quality,
            thickness=thickness,
            updated_at=updated_at,
            price_per_square_metre=price_per_square_metre,
        )

        material.additional_properties = d
        return material

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
