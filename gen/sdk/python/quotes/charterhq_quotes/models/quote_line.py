from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="QuoteLine")


@_attrs_define
class QuoteLine:
    """A line of a quote; once the quote is submitted, with the prices fixed then."""

    height_mm: int
    material_id: int
    quantity: int
    width_mm: int
    material_name: str | Unset = UNSET
    """ The material's name when the quote was submitted. """
    total: Money | Unset = UNSET
    """ An amount of money: a whole number of its currency's minor unit
    (cents for EUR and USD, yen for JPY, which has none smaller), never a
    floating-point number, so that every sum and rounding is exact; and
    the ISO 4217 code of the currency.
     """
    unit_price: Money | Unset = UNSET
    """ An amount of money: a whole number of its currency's minor unit
    (cents for EUR and USD, yen for JPY, which has none smaller), never a
    floating-point number, so that every sum and rounding is exact; and
    the ISO 4217 code of the currency.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        height_mm = self.height_mm

        material_id = self.material_id

        quantity = self.quantity

        width_mm = self.width_mm

        material_name = self.material_name

        total: dict[str, Any] | Unset = UNSET
        if not isinstance(self.total, Unset):
            total = self.total.to_dict()

        unit_price: dict[str, Any] | Unset = UNSET
        if not isinstance(self.unit_price, Unset):
            unit_price = self.unit_price.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "height_mm": height_mm,
                "material_id": material_id,
                "quantity": quantity,
                "width_mm": width_mm,
            }
        )
        if material_name is not UNSET:
            field_dict["material_name"] = material_name
        if total is not UNSET:
            field_dict["total"] = total
        if unit_price is not UNSET:
            field_dict["unit_price"] = unit_price

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        height_mm = d.pop("height_mm")

        material_id = d.pop("material_id")

        quantity = d.pop("quantity")

        width_mm = d.pop("width_mm")

        material_name = d.pop("material_name", UNSET)

        _total = d.pop("total", UNSET)
        total: Money | Unset
        if isinstance(_total, Unset):
            total = UNSET
        else:
            total = Money.from_dict(_total)

        _unit_price = d.pop("unit_price", UNSET)
        unit_price: Money | Unset
        if isinstance(_unit_price, Unset):
            unit_price = UNSET
        else:
            unit_price = Money.from_dict(_unit_price)

        quote_line = cls(
            height_mm=height_mm,
            material_id=material_id,
            quantity=quantity,
            width_mm=width_mm,
            material_name=material_name,
            total=total,
            unit_price=unit_price,
        )

        quote_line.additional_properties = d
        return quote_line

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
