"""The Korean catalog is complete, compiled and covers every string in the code."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(
    r'^msgid "(.*)"\n((?:".*"\n)*)'
    r'(?:msgid_plural .*\n(?:".*"\n)*)?'
    r'msgstr(?:\[0\])? "(.*)"\n((?:".*"\n)*)',
    re.M,
)


def catalog(path: Path, *, allow_fuzzy: bool = False) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    assert allow_fuzzy or "#, fuzzy" not in text, "fuzzy entries are not translations"
    entries = {}
    for match in ENTRY.finditer(text):
        msgid = match.group(1) + "".join(re.findall(r'"(.*)"', match.group(2)))
        msgstr = match.group(3) + "".join(re.findall(r'"(.*)"', match.group(4)))
        if msgid:
            entries[msgid] = msgstr
    return entries


def unescape(text: str) -> str:
    return text.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def test_korean_catalog_has_every_entry_translated():
    entries = catalog(PO)
    assert len(entries) > 50
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert untranslated == []


def test_korean_catalog_is_compiled():
    entries = catalog(PO)
    stale = []
    with translation.override("ko"):
        for msgid, msgstr in entries.items():
            if "%" in msgid or "{" in msgid:
                continue
            if translation.gettext(unescape(msgid)) != unescape(msgstr):
                stale.append(msgid)
    assert stale == [], "run `make messages` to recompile locale/ko"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext is not installed")
def test_korean_catalog_covers_every_string_in_the_code(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "data", ".git", "tests", "node_modules", "bench"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "ko",
            "--no-location",
            "--ignore",
            "static/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = catalog(copy / "locale" / "ko" / "LC_MESSAGES" / "django.po", allow_fuzzy=True)
    missing = sorted(set(fresh) - set(catalog(PO)))
    assert missing == [], "run `make messages` and translate the new strings"
