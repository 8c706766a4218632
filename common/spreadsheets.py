"""The guard every CSV export writes its cells through (CSV injection)."""

# Spreadsheets run a cell that starts with = + - @ (or a tab or CR before them) as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe, which
    makes it text; anything else (numbers, dates, None, other text) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
