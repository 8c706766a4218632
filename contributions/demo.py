"""Demo data for `manage.py seed_demo` (idempotent)."""

from datetime import timedelta

from accounts.enums import Region
from contributions.enums import EmployerCategory, Visibility
from contributions.models import Contribution, ContributionKind, TechnologyArea
from contributions.services import canonical_url, ensure_contributor

# (kind slug, area slug, title, role, quantity, reach)
DEMO_ENTRIES = [
    ("blog-post", "dotnet", "Minimal APIs in practice", "author", 1, 1800),
    ("forum-answers-microsoft", "dotnet", "Answers on Microsoft Q&A", "answerer", 14, 3200),
    ("talk-user-group", "dotnet", "What's new in C#", "speaker", 1, 60),
    ("code-project", "dotnet", "Sample: background jobs", "maintainer", 1, 240),
    ("product-feedback", "sql-server", "Query Store feedback", "reporter", 2, 0),
    ("blog-post", "sql-server", "Indexing the log table", "author", 1, 950),
    ("talk-conference", "azure-app-platform", "Deploying to App Service", "speaker", 1, 350),
    ("forum-answers-third-party", "sql-server", "Stack Overflow answers", "answerer", 9, 5400),
]


def load_demo(*, users: dict, today) -> None:
    """`users` maps a role name ("contributor", "reviewer", "staff", "regional_manager") to
    the demo user with that role. Gives the contributor (and staff, to try the pages
    themselves) about 40 entries over the last 14 months; re-running adds nothing."""
    kinds = {k.slug: k for k in ContributionKind.objects.all()}
    areas = {a.slug: a for a in TechnologyArea.objects.all()}
    for role in ("contributor", "staff"):
        user = users.get(role)
        if user is None:
            continue
        contributor = ensure_contributor(user=user)
        if role == "contributor":
            contributor.display_name = contributor.display_name or "Demo Contributor"
            contributor.is_public = True
            contributor.region = Region.APAC
            contributor.country = "AU"
            contributor.languages = contributor.languages or ["English"]
            contributor.primary_area = areas.get("dotnet")
            contributor.employer_category = EmployerCategory.INDEPENDENT
            contributor.bio = (
                contributor.bio or "Writes about .NET and SQL Server; runs a user group."
            )
            contributor.save()
            if "sql-server" in areas:
                contributor.additional_areas.add(areas["sql-server"])
        existing = set(
            Contribution.objects.filter(contributor=contributor).values_list("url", flat=True)
        )
        new = []
        for n in range(40):
            kind_slug, area_slug, title, entry_role, quantity, reach = DEMO_ENTRIES[
                n % len(DEMO_ENTRIES)
            ]
            url = f"https://demo.mvptracker.test/{contributor.handle}/{n}"
            if url in existing or kind_slug not in kinds or area_slug not in areas:
                continue
            new.append(
                Contribution(
                    contributor=contributor,
                    kind=kinds[kind_slug],
                    technology_area=areas[area_slug],
                    title=f"{title} #{n + 1}",
                    date=today - timedelta(days=(n * 425) // 40),  # spread over ~14 months
                    url=url,
                    canonical_url=canonical_url(url),
                    role=entry_role,
                    quantity=quantity,
                    reach=reach + n * 10,
                    visibility=Visibility.PRIVATE if n % 7 == 3 else Visibility.PUBLIC,
                )
            )
        Contribution.objects.bulk_create(new)
