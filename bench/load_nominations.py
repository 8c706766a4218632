"""Nominations, endorsements, reviewer assignments and reviews for the benchmark."""


def load(conn, *, scale, as_of) -> None:
    pass


def counts(conn) -> dict[str, int]:
    return {}
