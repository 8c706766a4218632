"""``makemessages`` that also reads the Jinja2 templates (templates/jinja2/).

Django's extractor understands only Django's template language, so the Jinja2 templates are
left out of its pass and read with Jinja2's own extractor (``{{ _("...") }}``, ``ngettext``,
``pgettext``, ``{% trans %}…{% pluralize %}…{% endtrans %}``); their strings are added to the
domain's .pot before it is merged into each locale's .po, so `make messages` keeps every string.
"""

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages
from jinja2.ext import babel_extract

JINJA2_DIR = Path(settings.BASE_DIR) / "templates" / "jinja2"
SUFFIXES = {".html", ".txt"}


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _entry(path: Path, lineno: int, funcname: str, message) -> str:
    strings = message if isinstance(message, tuple) else (message,)
    strings = tuple(s for s in strings if s is not None)  # ngettext's count is not a string
    if not strings:  # a call with a non-literal argument
        return ""
    lines = [f"#: {path.relative_to(settings.BASE_DIR)}:{lineno}"]
    if any("%" in s for s in strings):
        lines.append("#, python-format")
    if funcname in {"pgettext", "npgettext"}:
        lines.append(f"msgctxt {_quote(strings[0])}")
        strings = strings[1:]
    lines.append(f"msgid {_quote(strings[0])}")
    if len(strings) > 1:
        lines += [f"msgid_plural {_quote(strings[1])}", 'msgstr[0] ""', 'msgstr[1] ""']
    else:
        lines.append('msgstr ""')
    return "\n".join(lines) + "\n\n"


def jinja2_entries() -> str:
    keywords = ("_", "gettext", "ngettext", "pgettext", "npgettext")
    entries = []
    for path in sorted(JINJA2_DIR.rglob("*")):
        if path.suffix not in SUFFIXES:
            continue
        with path.open("rb") as file:
            for lineno, funcname, message, _comments in babel_extract(file, keywords, [], {}):
                entries.append(_entry(path, lineno, funcname, message))
    return "".join(entries)


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), "templates/jinja2/*"]
        return super().handle(*args, **options)

    def build_potfiles(self):
        potfiles = super().build_potfiles()
        if self.domain != "django":
            return potfiles
        project_pot = Path(settings.LOCALE_PATHS[0]) / f"{self.domain}.pot"
        with project_pot.open("a", encoding="utf-8") as pot:
            pot.write("\n" + jinja2_entries())
        subprocess.run(  # noqa: S603 - fixed arguments
            ["msguniq", "--to-code=utf-8", "-o", str(project_pot), str(project_pot)],  # noqa: S607
            check=True,
        )
        if str(project_pot) not in map(str, potfiles):
            potfiles.append(str(project_pot))
        return potfiles
