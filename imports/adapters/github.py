"""A GitHub user's public work in the window, through the REST API: repositories created or
pushed, their releases, and pull requests merged into other people's repositories. Stars are
the reach. ``IMPORT_GITHUB_TOKEN`` (optional) raises the rate limit."""

from datetime import date
from urllib.parse import quote, urlencode

from django.conf import settings

from imports.adapters.base import Item, Outcome, clip_title, day_of, get_json

# Releases are read for the most recently pushed repositories only: one request each.
RELEASE_REPOSITORIES = 10


def _headers() -> dict[str, str]:
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    if settings.IMPORT_GITHUB_TOKEN:
        headers["Authorization"] = f"Bearer {settings.IMPORT_GITHUB_TOKEN}"
    return headers


def _api(path: str, **params) -> str:
    query = f"?{urlencode(params)}" if params else ""
    return f"{settings.IMPORT_GITHUB_API_URL.rstrip('/')}{path}{query}"


def fetch(source, *, as_of: date, window_start: date) -> Outcome:
    login = quote(source.handle, safe="")
    repositories = get_json(
        _api(f"/users/{login}/repos", type="owner", sort="pushed", per_page=100),
        headers=_headers(),
    )
    items: list[Item] = []
    recent = []
    for repository in repositories if isinstance(repositories, list) else []:
        if not isinstance(repository, dict) or repository.get("fork") or repository.get("private"):
            continue
        created = day_of(repository.get("created_at"))
        pushed = day_of(repository.get("pushed_at"))
        day = created if created and created > window_start else pushed
        if not day or day <= window_start or not repository.get("html_url"):
            continue
        stars = int(repository.get("stargazers_count") or 0)
        name = str(repository.get("full_name") or repository.get("name") or "")
        items.append(
            Item(
                url=repository["html_url"],
                title=clip_title(name, repository["html_url"]),
                date=min(day, as_of),
                reach=stars,
                description=str(repository.get("description") or "")[:5000],
            )
        )
        recent.append((name, stars))
    for name, stars in recent[:RELEASE_REPOSITORIES]:
        releases = get_json(_api(f"/repos/{name}/releases", per_page=20), headers=_headers())
        for release in releases if isinstance(releases, list) else []:
            day = day_of(release.get("published_at")) if isinstance(release, dict) else None
            if (
                not day
                or day <= window_start
                or release.get("draft")
                or not release.get("html_url")
            ):
                continue
            label = release.get("name") or release.get("tag_name") or ""
            items.append(
                Item(
                    url=release["html_url"],
                    title=clip_title(f"{name} {label}", release["html_url"]),
                    date=min(day, as_of),
                    reach=stars,
                )
            )
    query = (
        f"author:{source.handle} type:pr is:merged -user:{source.handle} "
        f"merged:>{window_start.isoformat()}"
    )
    found = get_json(_api("/search/issues", q=query, per_page=100), headers=_headers())
    for pull in found.get("items", []) if isinstance(found, dict) else []:
        if not isinstance(pull, dict) or not pull.get("html_url"):
            continue
        merged = (pull.get("pull_request") or {}).get("merged_at") or pull.get("closed_at")
        day = day_of(merged)
        if not day or day <= window_start:
            continue
        items.append(
            Item(
                url=pull["html_url"],
                title=clip_title(str(pull.get("title") or ""), pull["html_url"]),
                date=min(day, as_of),
            )
        )
    return Outcome(items=items)
