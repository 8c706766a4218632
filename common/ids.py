"""Row ids read from text people can type (query strings, form values)."""

MAX_ID = 2**63 - 1  # the largest bigint: SQLite cannot even compare a larger Python int


def parse_id(text) -> int | None:
    """The id ``text`` spells (digits only, at most a 64-bit integer), or None."""
    text = str(text if text is not None else "")
    if text.isdigit() and len(text) <= 19 and int(text) <= MAX_ID:
        return int(text)
    return None
