from enum import StrEnum


class QuoteState(StrEnum):
    ACCEPTED = "accepted"
    DRAFT = "draft"
    EXPIRED = "expired"
    REJECTED = "rejected"
    SUBMITTED = "submitted"

    def __str__(self) -> str:
        return str(self.value)
