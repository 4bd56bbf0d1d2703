from enum import StrEnum


class MaterialOrdering(StrEnum):
    CREATED_AT = "created_at"
    CREATED_AT_DESCENDING = "-created_at"
    ID = "id"
    ID_DESCENDING = "-id"
    NAME = "name"
    NAME_DESCENDING = "-name"
    QUALITY = "quality"
    QUALITY_DESCENDING = "-quality"
    THICKNESS = "thickness"
    THICKNESS_DESCENDING = "-thickness"

    def __str__(self) -> str:
        return str(self.value)
