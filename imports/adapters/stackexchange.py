"""A Stack Exchange user's answers, one item per month of the window: quantity = answers,
reach = views of the questions answered. ``IMPORT_STACKEXCHANGE_KEY`` (optional) raises the
quota."""

import calendar
from collections import defaultdict
from datetime import UTC, date, datetime, time
from urllib.parse import quote, urlencode

from django.conf import settings

from imports.adapters.base import Item, Outcome, day_of, get_json

MAX_PAGES = 10  # 1,000 answers a fetch; the API's own page size is 100
# Sites whose address is not <site>.stackexchange.com.
OWN_DOMAINS = {
    "stackoverflow": "stackoverflow.com",
    "superuser": "superuser.com",
    "serverfault": "serverfault.com",
    "askubuntu": "askubuntu.com",
    "mathoverflow": "mathoverflow.net",
    "stackapps": "stackapps.com",
}


def site_host(site: str) -> str:
    site = site.strip().lower()
    if "." in site:
        return site
    return OWN_DOMAINS.get(site, f"{site}.stackexchange.com")


def _api(path: str, **params) -> str:
    if settings.IMPORT_STACKEXCHANGE_KEY:
        params["key"] = settings.IMPORT_STACKEXCHANGE_KEY
    return f"{settings.IMPORT_STACKEXCHANGE_API_URL.rstrip('/')}{path}?{urlencode(params)}"


def _epoch(day: date) -> int:
    return int(datetime.combine(day, time.min, tzinfo=UTC).timestamp())


def fetch(source, *, as_of: date, window_start: date) -> Outcome:
    user = quote(source.user_id, safe="")
    answers: list[dict] = []
    for page in range(1, MAX_PAGES + 1):
        answer = get_json(
            _api(
                f"/users/{user}/answers",
                site=source.site,
                fromdate=_epoch(window_start),
                todate=_epoch(as_of) + 86400,
                pagesize=100,
                page=page,
                order="desc",
                sort="creation",
            )
        )
        batch = answer.get("items", []) if isinstance(answer, dict) else []
        answers += [row for row in batch if isinstance(row, dict)]
        if not (isinstance(answer, dict) and answer.get("has_more")):
            break
    views = _question_views(source, {row.get("question_id") for row in answers})
    per_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in answers:
        day = day_of(row.get("creation_date"))
        if not day or day <= window_start or day > as_of:
            continue
        month = per_month[day.strftime("%Y-%m")]
        month[0] += 1
        month[1] += views.get(row.get("question_id"), 0)
    host = site_host(source.site)
    items = []
    for month, (count, reach) in sorted(per_month.items()):
        year, number = (int(part) for part in month.split("-"))
        last_day = date(year, number, calendar.monthrange(year, number)[1])
        url = f"https://{host}/users/{source.user_id}?tab=answers&month={month}"
        items.append(
            Item(
                url=url,
                title=f"{count} answers on {host}, {month}",
                date=min(last_day, as_of),
                quantity=count,
                reach=reach,
            )
        )
    return Outcome(items=items)


def _question_views(source, question_ids: set) -> dict[int, int]:
    ids = sorted(qid for qid in question_ids if isinstance(qid, int))
    views: dict[int, int] = {}
    for start in range(0, len(ids), 100):
        chunk = ";".join(str(qid) for qid in ids[start : start + 100])
        answer = get_json(_api(f"/questions/{chunk}", site=source.site, pagesize=100))
        for row in answer.get("items", []) if isinstance(answer, dict) else []:
            if isinstance(row, dict) and isinstance(row.get("question_id"), int):
                views[row["question_id"]] = max(0, int(row.get("view_count") or 0))
    return views
