import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.spreadsheets import formula_safe
from contributions import portability
from contributions.jobs import purge_stale_imports
from contributions.models import Contribution, PendingImport
from tests.factories.contributions import ContributionFactory, kind

pytestmark = pytest.mark.django_db

HEADER = "kind,technology_area,title,date,url,description,role,quantity,reach,visibility\n"


def _upload(client, text: str, *, bom: bool = False, name="log.csv"):
    data = text.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    return client.post(
        reverse("contributions:import"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def _statuses(client):
    page = client.get(reverse("contributions:import_preview")).context["page"]
    return [(row.line, row.status, row.reason) for row in page]


def test_import_preview_lists_every_row_and_writes_nothing(login, user):
    ContributionFactory(
        contributor=user.contributor,
        url="https://www.example.com/old/",
        date=date(2025, 5, 1),
        kind=kind("blog-post"),
    )
    text = HEADER + (
        "blog-post,dotnet,First post,2025-06-01,https://example.com/a,,author,1,10,public\n"
        "blog-post,dotnet,Bad date,2025-13-01,https://example.com/b,,author,1,10,public\n"
        "blog-post,dotnet,Same as log,2025-05-01,http://example.com/old?utm_source=x,,,1,0,\n"
        "blog-post,dotnet,Same as line 2,2025-06-01,https://EXAMPLE.com/a/,,,1,0,\n"
        "talk-conference,azure,Talk,2025-07-01,https://example.com/a,,speaker,1,300,private\n"
        "nope,dotnet,Unknown kind,2025-07-01,,,,1,0,\n"
        "blog-post,dotnet,Wrong role,2025-07-01,,,speaker,1,0,\n"
        "blog-post,dotnet,Negative,2025-07-01,,,,-3,0,\n"
        "blog-post,dotnet,Script,2025-07-01,javascript:alert(1),,,1,0,\n"
    )
    client = login(user)
    assert _upload(client, text, bom=True).status_code == 302
    rows = _statuses(client)
    assert [(line, status) for line, status, _r in rows] == [
        (2, "import"),
        (3, "error"),
        (4, "duplicate"),
        (5, "duplicate"),
        (6, "import"),
        (7, "error"),
        (8, "error"),
        (9, "error"),
        (10, "error"),
    ]
    assert rows[2][2] == "Already in your log."
    assert rows[3][2] == "Same URL, date and kind as line 2."
    assert "YYYY-MM-DD" in rows[1][2]
    assert Contribution.objects.count() == 1  # nothing written by the preview


def test_import_confirm_writes_only_importable_rows(login, user):
    text = HEADER + (
        "blog-post,dotnet,Good one,2025-06-01,https://example.com/a,,author,1,10,public\n"
        "blog-post,dotnet,Bad one,2999-01-01,,,,1,0,\n"
        "talk-user-group,azure,Good two,2025-07-01,,,speaker,2,30,private\n"
    )
    client = login(user)
    _upload(client, text)
    token = PendingImport.objects.get().token
    response = client.post(reverse("contributions:import_confirm"), {"token": token})
    assert response.status_code == 302
    titles = sorted(Contribution.objects.values_list("title", flat=True))
    assert titles == ["Good one", "Good two"]
    assert Contribution.objects.get(title="Good one").canonical_url == "example.com/a"
    assert not PendingImport.objects.exists()


def test_import_confirm_revalidates_against_the_log(login, user):
    text = HEADER + "blog-post,dotnet,Good one,2025-06-01,https://example.com/a,,,1,10,\n"
    client = login(user)
    _upload(client, text)
    token = PendingImport.objects.get().token
    # Logged meanwhile (another tab): confirming must not create a duplicate.
    ContributionFactory(
        contributor=user.contributor, url="https://example.com/a", date=date(2025, 6, 1)
    )
    client.post(reverse("contributions:import_confirm"), {"token": token})
    assert Contribution.objects.count() == 1


def test_import_confirm_ignores_tampered_or_missing_preview(login, user):
    client = login(user)
    response = client.post(reverse("contributions:import_confirm"), {"token": "forged"})
    assert response.status_code == 302
    assert not Contribution.objects.exists()
    _upload(client, HEADER + "blog-post,dotnet,Good,2025-06-01,,,,1,0,\n")
    client.post(reverse("contributions:import_confirm"), {"token": "forged"})
    assert not Contribution.objects.exists()


def test_import_confirm_with_htmx_returns_the_result_fragment(login, user):
    client = login(user)
    _upload(client, HEADER + "blog-post,dotnet,Good,2025-06-01,,,,1,0,\n")
    token = PendingImport.objects.get().token
    response = client.post(
        reverse("contributions:import_confirm"), {"token": token}, HTTP_HX_REQUEST="true"
    )
    assert b'id="import-result"' in response.content
    assert b"Imported 1 contributions." in response.content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"kind,title\nblog-post,x\n", "lacks the columns"),
        ("\xff\xfe bad".encode("latin-1"), "not UTF-8"),
        (HEADER.encode(), "no rows"),
        ((HEADER + "blog-post,dotnet,Title,2025-01-01,,,,1,0,\n" * 5001).encode(), "5,000 rows"),
        ((HEADER + "blog-post,dotnet,Ti\x00tle,2025-01-01,,,,1,0,\n").encode(), "NUL"),
        (HEADER.encode("utf-16-le"), "NUL"),
    ],
)
def test_import_rejects_unreadable_files(login, user, data, message):
    response = login(user).post(
        reverse("contributions:import"), {"file": SimpleUploadedFile("x.csv", data, "text/csv")}
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert not PendingImport.objects.exists()


def test_import_rejects_files_over_two_megabytes(login, user):
    data = b"x" * (2 * 1024 * 1024 + 1)
    response = login(user).post(
        reverse("contributions:import"), {"file": SimpleUploadedFile("x.csv", data, "text/csv")}
    )
    assert response.status_code == 413
    assert "larger than 2 MB" in " ".join(response.context["form"].errors["file"])
    assert not PendingImport.objects.exists()


def test_import_refuses_a_body_far_over_the_limit_before_reading_it(login, user):
    data = b"x" * (3 * 1024 * 1024)
    response = login(user).post(
        reverse("contributions:import"), {"file": SimpleUploadedFile("x.csv", data, "text/csv")}
    )
    assert response.status_code == 413
    assert "larger than 2 MB" in " ".join(response.context["form"].errors["file"])
    assert not PendingImport.objects.exists()


def test_import_template_downloads_csv_with_documented_columns(login, user):
    response = login(user).get(reverse("contributions:import_template"))
    assert response["Content-Type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header == portability.IMPORT_COLUMNS


def test_import_template_row_imports_cleanly(user):
    preview = portability.preview_import(
        contributor=user.contributor,
        data=portability.template_csv().encode(),
        today=date(2026, 11, 22),
    )
    assert [row.status for row in preview.rows] == ["import"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (5, 5),
    ],
)
def test_neutralise_formula_cells(value, expected):
    assert formula_safe(value) == expected


def test_export_csv_neutralises_formulas_and_covers_whole_log(login, user):
    ContributionFactory(contributor=user.contributor, title="=cmd|' /C calc'!A0")
    ContributionFactory(contributor=user.contributor, title="Safe", description="@mention")
    ContributionFactory(title="Someone else's")
    response = login(user).get(reverse("contributions:export_csv"))
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(row["title"] for row in rows) == ["'=cmd|' /C calc'!A0", "Safe"]
    assert next(r for r in rows if r["title"] == "Safe")["description"] == "'@mention"


def test_export_profile_csv_neutralises_formulas(login, user):
    user.contributor.bio = "=1+1"
    user.contributor.save()
    response = login(user).get(reverse("contributions:export_profile_csv"))
    rows = dict(csv.reader(io.StringIO(response.content.decode())))
    assert rows["bio"] == "'=1+1"
    assert rows["email"] == user.email


def test_export_json_has_profile_and_contributions(login, user):
    ContributionFactory(contributor=user.contributor, title="=raw stays raw in JSON")
    data = json.loads(login(user).get(reverse("contributions:export_json")).content)
    assert data["profile"]["handle"] == user.contributor.handle
    assert [c["title"] for c in data["contributions"]] == ["=raw stays raw in JSON"]


def test_exported_csv_round_trips_through_import_as_duplicates(login, user):
    ContributionFactory(contributor=user.contributor, date=date(2025, 4, 1))
    exported = login(user).get(reverse("contributions:export_csv")).content
    preview = portability.preview_import(
        contributor=user.contributor, data=exported, today=date(2026, 11, 22)
    )
    assert [row.status for row in preview.rows] == ["duplicate"]


def test_import_confirm_twice_writes_once(login, user):
    client = login(user)
    _upload(client, HEADER + "blog-post,dotnet,Good,2025-06-01,,,,1,0,\n")
    token = PendingImport.objects.get().token
    client.post(reverse("contributions:import_confirm"), {"token": token})
    client.post(reverse("contributions:import_confirm"), {"token": token})
    assert Contribution.objects.count() == 1


def test_import_preview_belongs_to_its_uploader(login, user, make_user):
    _upload(login(user), HEADER + "blog-post,dotnet,Good,2025-06-01,,,,1,0,\n")
    token = PendingImport.objects.get().token
    other = login(make_user())
    assert other.get(reverse("contributions:import_preview")).status_code == 302
    other.post(reverse("contributions:import_confirm"), {"token": token})
    assert not Contribution.objects.exists()
    assert PendingImport.objects.filter(contributor=user.contributor).exists()


def test_purge_stale_imports_forgets_old_previews(user):
    PendingImport.objects.create(
        contributor=user.contributor,
        token="t",
        rows=[],
        created_at=datetime(2026, 11, 19, 12, tzinfo=UTC),
    )
    assert purge_stale_imports(as_of=date(2026, 11, 21)) == {"purged_imports": 0}
    assert purge_stale_imports(as_of=date(2026, 11, 22)) == {"purged_imports": 1}


def test_import_confirm_with_a_nul_in_the_token_finds_nothing(user):
    assert (
        portability.confirm_import(contributor=user.contributor, token="a\x00", today=date.today())
        is None
    )
