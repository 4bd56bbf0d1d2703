from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="MaterialUpdate")


@_attrs_define
class MaterialUpdate:
    """The new state of a material's editable fields. Every field but the
    price is replaced. `price_per_square_metre`, the new price of one
    square metre of the sheet, is optional: left out, the material
    keeps its current price (or its absence), so that a client written
    before prices existed does not erase them. An update never removes
    a price.

        Example:
            {'is_active': True, 'name': '12 mm Steel', 'price_per_square_metre': {'amount': 14400, 'currency': 'EUR'},
                'quality': 'steel', 'thickness': 12}

    """

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
    price_per_square_metre: Money | Unset = UNSET
    """ An amount of money: a whole number of its currency's minor unit
    (cents for EUR and USD, yen for JPY, which has none smaller), never a
    floating-point number, so that every sum and rounding is exact; and
    the ISO 4217 code of the currency.
     """

    def to_dict(self) -> dict[str, Any]:
        is_active = self.is_active

        name = self.name

        quality = self.quality

        thickness = self.thickness

        price_per_square_metre: dict[str, Any] | Unset = UNSET
        if not isinstance(self.price_per_square_metre, Unset):
            price_per_square_metre = self.price_per_square_metre.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "is_active": is_active,
                "name": name,
                "quality": quality,
                "thickness": thickness,
            }
        )
        if price_per_square_metre is not UNSET:
            field_dict["price_per_square_metre"] = price_per_square_metre

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        is_active = d.pop("is_active")

        name = d.pop("name")

        quality = d.pop("quality")

        thickness = d.pop("thickness")

        _price_per_square_metre = d.pop("price_per_square_metre", UNSET)
        price_per_square_metre: Money | Unset
        if isinstance(_price_per_square_metre, Unset):
            price_per_square_metre = UNSET
        else:
            price_per_square_metre = Money.from_dict(_price_per_square_metre)

        material_update = cls(
            is_active=is_active,
            name=name,
            quality=quality,
            thickness=thickness,
            price_per_square_metre=price_per_square_metre,
        )

        return material_update
