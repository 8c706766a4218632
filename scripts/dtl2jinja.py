#!/usr/bin/env python
"""Convert the project's plain Django-language templates to its Jinja2 dialect (docs/templates.md).

    .venv/bin/python scripts/dtl2jinja.py templates/app/page.html ...

Each file moves to templates/jinja2/<same path> (``--keep`` leaves the original). It handles
the constructs the project writes (load, translate, blocktranslate with trimmed/with/count/plural,
url, static, csrf_token,
include with, empty, comment, partialdef/partial, block.super, forloop, filter arguments, the
award tags); read the result: a method Django called for you (``obj.method``) needs ``()``
(rendering one uncalled fails loudly), and a dict key that is also a dict method
(``d.items``) needs ``d["items"]``.
"""

import re
import sys
from pathlib import Path

TAG = re.compile(r"\{%-?\s*(.*?)\s*-?%\}", re.S)
VAR = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.S)
FILTER_ARG = re.compile(r"\|(\w+):(_\(\"[^\"]*\"\)|_\('[^']*'\)|\"[^\"]*\"|'[^']*'|[\w.]+)")
METHODS = re.compile(
    r"\.(isoformat|get_\w+_display|as_div|as_p|as_field_group|get_full_path|"
    r"non_field_errors|label_tag|legend_tag|get_absolute_url)\b(?!\()"
)
LOOP = {
    "forloop.counter0": "loop.index0",
    "forloop.counter": "loop.index",
    "forloop.first": "loop.first",
    "forloop.last": "loop.last",
    "forloop.revcounter": "loop.revindex",
    "block.super": "super()",
}
CALL_TAGS = {"award_badges", "eligibility_panel", "eligibility_checks"}


def expr(text: str) -> str:
    text = FILTER_ARG.sub(lambda m: f"|{m[1]}({m[2]})", text)
    text = METHODS.sub(lambda m: f".{m[1]}()", text)
    for old, new in LOOP.items():
        text = text.replace(old, new)
    return text


def call_args(bits: list[str]) -> str:
    return ", ".join(expr(b) for b in bits)


def assignments(text: str) -> str:
    """``a=b c=d`` (Django) → ``a=b, c=d`` (Jinja2)."""
    return ", ".join(expr(b) for b in split(text))


def split(text: str) -> list[str]:
    """Words split at spaces outside quotes and parentheses (``title=_("A b")`` is one)."""
    words, word, depth, quote = [], "", 0, ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char.isspace() and depth == 0:
            if word:
                words.append(word)
            word = ""
            continue
        word += char
    return [*words, word] if word else words


def tag(contents: str) -> str:
    name, _sp, rest = contents.partition(" ")
    bits = split(rest) if rest else []
    if name == "load" or name in {"get_current_language", "get_available_languages"}:
        return ""
    if name == "get_language_info_list":
        return "{% set " + bits[-1] + " = language_info_list() %}"
    if name in {"translate", "trans"}:
        if "context" in bits:
            i = bits.index("context")
            call = f"pgettext({bits[i + 1]}, {bits[0]})"
            bits = bits[:i] + bits[i + 2 :]
        else:
            call = f"_({bits[0]})"
        if "as" in bits:
            return "{% set " + bits[bits.index("as") + 1] + " = " + call + " %}"
        return "{{ " + call + " }}"
    if name in {"blocktranslate", "blocktrans"}:
        out = ["trans"]
        if rest.startswith("trimmed") or " trimmed" in rest:
            out.append("trimmed")
        rest = rest.replace("trimmed", "").strip()
        rest = re.sub(r"^(with|count)\s+", "", rest)
        rest = re.sub(r"\s+(with|count)\s+", " ", rest)
        if rest:
            out.append(assignments(rest))
        return "{% " + " ".join(out) + " %}"
    if name == "plural":
        return "{% pluralize %}"
    if name in {"endblocktranslate", "endblocktrans"}:
        return "{% endtrans %}"
    if name == "url":
        target = None
        if len(bits) > 2 and bits[-2] == "as":
            target, bits = bits[-1], bits[:-2]
        call = f"url({call_args(bits)})"
        return "{% set " + target + " = " + call + " %}" if target else "{{ " + call + " }}"
    if name == "static":
        return "{{ static(" + call_args(bits) + ") }}"
    if name == "csrf_token":
        return "{{ csrf_input }}"
    if name == "empty":
        return "{% else %}"
    if name == "comment":
        return "{#"
    if name == "endcomment":
        return "#}"
    if name == "partialdef":
        return "{% block " + bits[0] + " %}"
    if name == "endpartialdef":
        return "{% endblock %}"
    if name == "partial":
        return "{{ self." + bits[0] + "() }}"
    if name in CALL_TAGS:
        return "{{ " + name + "(" + call_args(bits) + ") }}"
    if name == "include":
        if "with" in bits:
            i = bits.index("with")
            values = [b for b in bits[i + 1 :] if b != "only"]
            inner = "{% include " + bits[0] + " %}"
            return "{% with " + ", ".join(expr(v) for v in values) + " %}" + inner + "{% endwith %}"
        return "{% include " + bits[0] + " %}"
    if name == "with":
        return "{% with " + assignments(rest) + " %}"
    return "{% " + expr(contents) + " %}"


def convert(source: str) -> str:
    source = VAR.sub(lambda m: "{{ " + expr(m[1]) + " }}", source)
    return TAG.sub(lambda m: tag(m[1]), source)


def main(paths: list[str], keep: bool = False) -> None:
    for path in map(Path, paths):
        rel = path.relative_to("templates")
        target = Path("templates/jinja2") / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text()
        lines = text.splitlines(keepends=True)
        if path.suffix == ".html":  # a {% load %} line goes with its newline
            lines = [ln for ln in lines if not re.fullmatch(r"\s*\{% load [^%]*%\}\s*", ln)]
        target.write_text(convert("".join(lines)))
        if not keep:
            path.unlink()
        print(f"{path} -> {target}")


if __name__ == "__main__":
    args = sys.argv[1:]
    main([a for a in args if a != "--keep"], keep="--keep" in args)
