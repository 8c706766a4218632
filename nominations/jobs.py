"""Daily jobs of this app: (name, function(*, as_of) -> dict of counts)."""

DAILY_JOBS: list = []
