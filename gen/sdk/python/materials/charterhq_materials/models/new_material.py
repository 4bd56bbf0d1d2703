from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="NewMaterial")


@_attrs_define
class NewMaterial:
    """A material to create. `price_per_square_metre`, what one square
    metre of the sheet costs at its thickness, may be left out to
    create a material with no price yet.

        Example:
            {'company_id': 1, 'is_active': True, 'name': '3 mm Steel', 'price_per_square_metre': {'amount': 3600,
                'currency': 'EUR'}, 'quality': 'steel', 'thickness': 3}

    """

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
    company_id: int | Unset = UNSET
    """ The company of the material. Staff must give it; external
    callers may leave it out or give their own company.
     """
    is_active: bool | Unset = UNSET
    """ Whether the material can be used in new quotes. Left out, the
    material is active.
     """
    price_per_square_metre: Money | Unset = UNSET
    """ An amount of money: a whole number of its currency's minor unit
    (cents for EUR and USD, yen for JPY, which has none smaller), never a
    floating-point number, so that every sum and rounding is exact; and
    the ISO 4217 code of the currency.
     """

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        quality = self.quality

        thickness = self.thickness

        company_id = self.company_id

        is_active = self.is_active

        price_per_square_metre: dict[str, Any] | Unset = UNSET
        if not isinstance(self.price_per_square_metre, Unset):
            price_per_square_metre = self.price_per_square_metre.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "quality": quality,
                "thickness": thickness,
            }
        )
        if company_id is not UNSET:
            field_dict["company_id"] = company_id
        if is_active is not UNSET:
            field_dict["is_active"] = is_active
        if price_per_square_metre is not UNSET:
            field_dict["price_per_square_metre"] = price_per_square_metre

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        quality = d.pop("quality")

        thickness = d.pop("thickness")

        company_id = d.pop("company_id", UNSET)

        is_active = d.pop("is_active", UNSET)

        _price_per_square_metre = d.pop("price_per_square_metre", UNSET)
        price_per_square_metre: Money | Unset
        if isinstance(_price_per_square_metre, Unset):
            price_per_square_metre = UNSET
        else:
            price_per_square_metre = Money.from_dict(_price_per_square_metre)

        new_material = cls(
            name=name,
            quality=quality,
            thickness=thickness,
            company_id=company_id,
            is_active=is_active,
            price_per_square_metre=price_per_square_metre,
        )

        return new_material
