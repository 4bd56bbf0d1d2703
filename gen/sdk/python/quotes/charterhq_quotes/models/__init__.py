"""Contains all the data models used in inputs/outputs"""

from .field_error import FieldError
from .money import Money
from .new_quote import NewQuote
from .new_quote_line import NewQuoteLine
from .problem import Problem
from .quote import Quote
from .quote_line import QuoteLine
from .quote_lines import QuoteLines
from .quote_ordering import QuoteOrdering
from .quote_page import QuotePage
from .quote_state import QuoteState

__all__ = (
    "FieldError",
    "Money",
    "NewQuote",
    "NewQuoteLine",
    "Problem",
    "Quote",
    "QuoteLine",
    "QuoteLines",
    "QuoteOrdering",
    "QuotePage",
    "QuoteState",
)
