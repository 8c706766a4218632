"""The real pages of the ladder, as ``(name, path | ("html" | "api", start path), who)``.

``who`` is the signed-in user whose session cookie the request carries ("contributor",
"staff") or None for an anonymous request. A ``("html", start)`` page is reached by following
the start page's ``rel="next"`` link (an API page: its ``next`` URL) ``run.DEEP_PAGES`` times,
so deep pages are measured exactly as a person paging through gets them.
"""


def page_targets(session: dict) -> list[tuple[str, str | tuple[str, str], str | None]]:
    return [
        ("window page", "/me/window/", "contributor"),
        ("contribution list (page 1)", "/me/contributions/", "contributor"),
        ("contribution list (deep page)", ("html", "/me/contributions/"), "contributor"),
        ("import inbox (page 1)", "/me/inbox/", "contributor"),
        ("import inbox (deep page)", ("html", "/me/inbox/"), "contributor"),
        ("public profile", f"/u/{session['public_handle']}/", None),
        ("staff queue (first page)", "/nominations/queue/", "staff"),
        ("staff queue (deep page)", ("html", "/nominations/queue/"), "staff"),
        ("nominee page", f"/nominations/{session['nomination_id']}/", "staff"),
        ("program metrics", "/nominations/metrics/", "staff"),
        ("API contributions list", "/api/v1/contributions", "contributor"),
        ("API me/summary", "/api/v1/me/summary", "contributor"),
        ("admin changelist", "/admin/contributions/contribution/", "staff"),
    ]
