from enum import StrEnum


class MaterialOrdering(StrEnum):
    CREATED_AT = "created_at"
    ID = "id"
    NAME = "name"
    QUALITY = "quality"
    THICKNESS = "thickness"
    VALUE_1 = "-id"
    VALUE_3 = "-name"
    VALUE_5 = "-quality"
    VALUE_7 = "-thickness"
    VALUE_9 = "-created_at"

    def __str__(self) -> str:
        return str(self.value)
