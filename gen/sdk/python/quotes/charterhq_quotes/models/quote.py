from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.quote_state import QuoteState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.quote_line import QuoteLine


T = TypeVar("T", bound="Quote")


@_attrs_define
class Quote:
    """A quote of one company.

    Example:
        {'company_id': 1, 'created_at': '2026-11-23T09:00:00Z', 'id': 1, 'lines': [{'height_mm': 400, 'material_id': 1,
            'material_name': '10 mm Steel', 'quantity': 10, 'total': {'amount': 28800, 'currency': 'EUR'}, 'unit_price':
            {'amount': 2880, 'currency': 'EUR'}, 'width_mm': 600}], 'state': 'submitted', 'submitted_at':
            '2026-11-23T09:30:00Z', 'total': {'amount': 28800, 'currency': 'EUR'}, 'updated_at': '2026-11-23T09:30:00Z',
            'valid_until': '2026-12-23T09:30:00Z'}

    """

    company_id: int
    created_at: datetime.datetime
    id: int
    lines: list[QuoteLine]
    state: QuoteState
    """ Where the quote is in its life. """
    updated_at: datetime.datetime
    decided_at: datetime.datetime | Unset = UNSET
    """ When staff accepted or rejected the quote; an expired quote was never decided and has none. """
    submitted_at: datetime.datetime | Unset = UNSET
    total: Money | Unset = UNSET
    """ An amount of money: a whole number of its currency's minor unit
    (cents for EUR and USD, yen for JPY, which has none smaller), never a
    floating-point number, so that every sum and rounding is exact; and
    the ISO 4217 code of the currency.
     """
    valid_until: datetime.datetime | Unset = UNSET
    """ Until when a submitted quote can be accepted. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        company_id = self.company_id

        created_at = self.created_at.isoformat()

        id = self.id

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        state = self.state.value

        updated_at = self.updated_at.isoformat()

        decided_at: str | Unset = UNSET
        if not isinstance(self.decided_at, Unset):
            decided_at = self.decided_at.isoformat()

        submitted_at: str | Unset = UNSET
        if not isinstance(self.submitted_at, Unset):
            submitted_at = self.submitted_at.isoformat()

        total: dict[str, Any] | Unset = UNSET
        if not isinstance(self.total, Unset):
            total = self.total.to_dict()

        valid_until: str | Unset = UNSET
        if not isinstance(self.valid_until, Unset):
            valid_until = self.valid_until.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "company_id": company_id,
                "created_at": created_at,
                "id": id,
                "lines": lines,
                "state": state,
                "updated_at": updated_at,
            }
        )
        if decided_at is not UNSET:
            field_dict["decided_at"] = decided_at
        if submitted_at is not UNSET:
            field_dict["submitted_at"] = submitted_at
        if total is not UNSET:
            field_dict["total"] = total
        if valid_until is not UNSET:
            field_dict["valid_until"] = valid_until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.quote_line import QuoteLine  # noqa: PLC0415

        d = dict(src_dict)
        company_id = d.pop("company_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = QuoteLine.from_dict(lines_item_data)

            lines.append(lines_item)

        state = QuoteState(d.pop("state"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        _decided_at = d.pop("decided_at", UNSET)
        decided_at: datetime.datetime | Unset
        if isinstance(_decided_at, Unset):
            decided_at = UNSET
        else:
            decided_at = datetime.datetime.fromisoformat(_decided_at)

        _submitted_at = d.pop("submitted_at", UNSET)
        submitted_at: datetime.datetime | Unset
        if isinstance(_submitted_at, Unset):
            submitted_at = UNSET
        else:
            submitted_at = datetime.datetime.fromisoformat(_submitted_at)

        _total = d.pop("total", UNSET)
        total: Money | Unset
        if isinstance(_total, Unset):
            total = UNSET
        else:
            total = Money.from_dict(_total)

        _valid_until = d.pop("valid_until", UNSET)
        valid_until: datetime.datetime | Unset
        if isinstance(_valid_until, Unset):
            valid_until = UNSET
        else:
            valid_until = datetime.datetime.fromisoformat(_valid_until)

        quote = cls(
            company_id=company_id,
            created_at=created_at,
            id=id,
            lines=lines,
            state=state,
            updated_at=updated_at,
            decided_at=decided_at,
            submitted_at=submitted_at,
            total=total,
            valid_until=valid_until,
        )

        quote.additional_properties = d
        return quote

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
