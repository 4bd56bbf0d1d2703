from enum import StrEnum


class QuoteOrdering(StrEnum):
    CREATED_AT = "created_at"
    CREATED_AT_DESCENDING = "-created_at"
    ID = "id"
    ID_DESCENDING = "-id"
    STATE = "state"
    STATE_DESCENDING = "-state"
    UPDATED_AT = "updated_at"
    UPDATED_AT_DESCENDING = "-updated_at"

    def __str__(self) -> str:
        return str(self.value)
