"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""


def nav_items(request) -> list[tuple[str, str]]:
    return []
