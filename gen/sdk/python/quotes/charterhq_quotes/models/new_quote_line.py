from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="NewQuoteLine")


@_attrs_define
class NewQuoteLine:
    """A part to quote, cut from a material."""

    height_mm: int
    """ The height of one part in millimetres. """
    material_id: int
    """ The material the part is cut from, of the quote's company. """
    quantity: int
    """ How many parts. """
    width_mm: int
    """ The width of one part in millimetres. """

    def to_dict(self) -> dict[str, Any]:
        height_mm = self.height_mm

        material_id = self.material_id

        quantity = self.quantity

        width_mm = self.width_mm

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "height_mm": height_mm,
                "material_id": material_id,
                "quantity": quantity,
                "width_mm": width_mm,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        height_mm = d.pop("height_mm")

        material_id = d.pop("material_id")

        quantity = d.pop("quantity")

        width_mm = d.pop("width_mm")

        new_quote_line = cls(
            height_mm=height_mm,
            material_id=material_id,
            quantity=quantity,
            width_mm=width_mm,
        )

        return new_quote_line
