"""What the messages about many awards at once need: each holder's row read as values (no
model rows are built), the award's name, and the templated email with its in-app line
(rendered at delivery). Used by the daily jobs and by the services that act on many awards."""

from django.db.models import QuerySet
from django.urls import reverse

from awards.enums import AwardKind
from awards.models import Award
from contributions.models import TechnologyArea
from notifications.services import Templated, ref

# The columns of a holder row, read by these names (``row.pk``, ``row.contributor__user_id``).
HOLDER = (
    "pk",
    "kind",
    "starts_on",
    "ends_on",
    "contributor_id",
    "contributor__user_id",
    "contributor__user__email",
    "technology_area__name",
    "technology_area__parent__name",
)


def holders(awards: QuerySet, *extra: str) -> list:
    """The :data:`HOLDER` columns (and ``extra``) of ``awards`` as named rows, by id."""
    return list(awards.order_by("pk").values_list(*HOLDER, *extra, named=True))


def labeller():
    """The award's name (``str(award)``) from a holder row; kind names are translated once
    per job, not per row (a lazy label costs ~50 µs each time)."""
    kinds = {value: str(label) for value, label in AwardKind.choices}

    def label(row) -> str:
        area = row.technology_area__name
        if area:
            area = TechnologyArea.label_of(name=area, parent_name=row.technology_area__parent__name)
        return Award.label_of(
            kind_label=kinds[row.kind], area=area, starts_on=row.starts_on, ends_on=row.ends_on
        )

    return label


def certificate_url(award_id: int) -> str:
    return reverse("awards:certificate", args=[award_id])


def eligibility_url() -> str:
    return reverse("awards:my_eligibility")


def award_email(row, *, template: str, key: str, message: str, url: str, **context) -> Templated:
    """The templated email about one award (a holder row) and its in-app line."""
    return Templated(
        to=row.contributor__user__email,
        template=f"awards/email/{template}",
        context={
            "award": ref("awards.award", row.pk),
            "contributor": ref("contributions.contributor", row.contributor_id),
            **context,
        },
        category=f"award_{template}",
        dedupe_key=key,
        recipient_id=row.contributor__user_id,
        message=message,
        url=url,
    )
