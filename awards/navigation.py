"""Navigation entries this app adds for a signed-in person (composed in mvptracker)."""

import rules
from django.urls import reverse
from django.utils.translation import gettext as _


def nav_items(request) -> list[tuple[str, str, str]]:
    user = request.user
    items = [
        (_("My eligibility"), reverse("awards:my_eligibility"), "account"),
    ]
    if rules.has_perm("awards.view_staff_pages", user):
        items += [
            (_("Awards"), reverse("awards:list"), "staff"),
            (_("MCC candidates"), reverse("awards:mcc_candidates"), "staff"),
            (_("Renewals"), reverse("awards:renewals"), "staff"),
        ]
    if rules.has_perm("awards.change_policy", user):
        items.append((_("Eligibility policy"), reverse("awards:policy"), "staff"))
    return items
