"""Demo data for `manage.py seed_demo` (idempotent)."""


def load_demo(*, users: dict, today) -> None:
    """`users` maps a role name ("contributor", "reviewer", "staff", "regional_manager") to
    the demo user with that role."""
