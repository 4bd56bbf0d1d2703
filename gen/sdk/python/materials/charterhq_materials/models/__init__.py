"""Contains all the data models used in inputs/outputs"""

from .field_error import FieldError
from .material import Material
from .material_ordering import MaterialOrdering
from .material_page import MaterialPage
from .material_update import MaterialUpdate
from .money import Money
from .new_material import NewMaterial
from .problem import Problem

__all__ = (
    "FieldError",
    "Material",
    "MaterialOrdering",
    "MaterialPage",
    "MaterialUpdate",
    "Money",
    "NewMaterial",
    "Problem",
)
