from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.new_quote_line import NewQuoteLine


T = TypeVar("T", bound="QuoteLines")


@_attrs_define
class QuoteLines:
    """The new lines of a draft.

    Example:
        {'lines': [{'height_mm': 400, 'material_id': 1, 'quantity': 20, 'width_mm': 600}, {'height_mm': 500,
            'material_id': 3, 'quantity': 5, 'width_mm': 1000}]}

    """

    lines: list[NewQuoteLine]

    def to_dict(self) -> dict[str, Any]:
        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "lines": lines,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.new_quote_line import NewQuoteLine  # noqa: PLC0415

        d = dict(src_dict)
        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = NewQuoteLine.from_dict(lines_item_data)

            lines.append(lines_item)

        quote_lines = cls(
            lines=lines,
        )

        return quote_lines
