from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.new_quote_line import NewQuoteLine


T = TypeVar("T", bound="NewQuote")


@_attrs_define
class NewQuote:
    """A draft quote to create.

    Example:
        {'company_id': 1, 'lines': [{'height_mm': 400, 'material_id': 1, 'quantity': 10, 'width_mm': 600}, {'height_mm':
            250, 'material_id': 2, 'quantity': 4, 'width_mm': 1200}]}

    """

    company_id: int | Unset = UNSET
    """ The company of the quote. Staff must give it; external callers
    may leave it out or give their own company.
     """
    lines: list[NewQuoteLine] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        company_id = self.company_id

        lines: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.lines, Unset):
            lines = []
            for lines_item_data in self.lines:
                lines_item = lines_item_data.to_dict()
                lines.append(lines_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if company_id is not UNSET:
            field_dict["company_id"] = company_id
        if lines is not UNSET:
            field_dict["lines"] = lines

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.new_quote_line import NewQuoteLine  # noqa: PLC0415

        d = dict(src_dict)
        company_id = d.pop("company_id", UNSET)

        _lines = d.pop("lines", UNSET)
        lines: list[NewQuoteLine] | Unset = UNSET
        if _lines is not UNSET:
            lines = []
            for lines_item_data in _lines:
                lines_item = NewQuoteLine.from_dict(lines_item_data)

                lines.append(lines_item)

        new_quote = cls(
            company_id=company_id,
            lines=lines,
        )

        return new_quote
