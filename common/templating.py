"""The Jinja2 engine the project's own pages, partials, emails and forms render with.

``Jinja2`` is Django's Jinja2 backend plus ``"page.html#block"`` names: the named block of a
page alone, for htmx fragments (what django-template-partials gives Django templates). The
globals and filters are the few the templates use, with Django's own output: ``url``,
``static``, gettext (``_``, ``gettext``, ``ngettext``, ``pgettext`` and ``{% trans %}``),
``date``/``time`` and every rendered date, time and number localized as Django's templates
localize them. The environment itself is built in ``mvptracker.templating`` (the top layer,
which may add the domain apps' globals).
"""

import datetime
import decimal

import jinja2
from django.contrib.humanize.templatetags import humanize
from django.template import TemplateDoesNotExist, TemplateSyntaxError, defaultfilters
from django.template.backends import jinja2 as django_jinja2
from django.templatetags.static import static
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import json_script
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in stubs

LOCALIZED = (datetime.date, datetime.time, decimal.Decimal, float)


def url(viewname: str, *args, **kwargs) -> str:
    """``{{ url("app:name", pk) }}``: Django's ``{% url %}``."""
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def finalize(value):
    """What ``{{ value }}`` prints: dates, times and numbers as Django's templates print them
    (in the current time zone and locale). A method printed unbound is a conversion mistake
    (Django's templates call it, Jinja2 prints its repr), so it fails loudly."""
    if isinstance(value, LOCALIZED):
        return _local(value)
    if callable(value) and not hasattr(value, "__html__"):
        raise TypeError(f"{value!r} is printed uncalled: add () in the template")
    return value


def default(value, fallback=""):
    """Django's ``default``: the fallback for any false value (Jinja2's only for undefined)."""
    return value or fallback


def yesno(value, arg=None):
    return defaultfilters.yesno(value, arg)


def language_info_list():
    from django.conf import settings

    return [translation.get_language_info(code) for code, _name in settings.LANGUAGES]


FILTERS = {
    "date": defaultfilters.date,
    "time": defaultfilters.time,
    "default": default,
    "yesno": yesno,
    "capfirst": defaultfilters.capfirst,
    "linebreaksbr": defaultfilters.linebreaksbr,
    "stringformat": defaultfilters.stringformat,
    "json_script": json_script,
    "intcomma": humanize.intcomma,
    "naturalday": humanize.naturalday,
    "naturaltime": humanize.naturaltime,
    "timesince": defaultfilters.timesince_filter,
}

GLOBALS = {
    "url": url,
    "static": static,
    "language_info_list": language_info_list,
}


def environment(**options) -> jinja2.Environment:
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    options.setdefault("autoescape", True)  # Django's backend passes True as well
    # A missing name or attribute prints nothing, however deep (Django's templates' behaviour;
    # an email's context may lack what a page's has).
    options["undefined"] = jinja2.ChainableUndefined
    env = jinja2.Environment(finalize=finalize, **options)  # noqa: S701 - autoescape above
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):
        env.globals[name] = _localizing(env.globals[name])
    env.globals["_"] = env.globals["gettext"]
    env.globals.update(GLOBALS)
    env.filters.update(FILTERS)
    return env


def _local(value):
    return localize(template_localtime(value)) if isinstance(value, LOCALIZED) else value


def _localizing(newstyle):
    """A ``{% trans %}`` variable prints as ``{{ value }}`` does (Django's blocktranslate)."""

    @jinja2.pass_context
    def translate(context, *args, **variables):
        return newstyle(context, *args, **{k: _local(v) for k, v in variables.items()})

    return translate


class Template(django_jinja2.Template):
    """Django's Jinja2 template that also tells the test client what it rendered with
    (``response.context``, ``assertTemplateUsed``), as Django's own templates do."""

    block: str | None = None

    def render(self, context=None, request=None):
        context = dict(context or {})
        if request is not None:
            context["request"] = request
            # Both are in django.template.backends.jinja2 at run time; the stubs omit them.
            context["csrf_input"] = django_jinja2.csrf_input_lazy(request)  # type: ignore[attr-defined]
            context["csrf_token"] = django_jinja2.csrf_token_lazy(request)  # type: ignore[attr-defined]
            for processor in self.backend.template_context_processors:
                context.update(processor(request))
        template_rendered.send(sender=self, template=self, context=context)
        try:
            if self.block is None:
                return self.template.render(context)
            render_block = self.template.blocks[self.block]
            return "".join(render_block(self.template.new_context(context)))
        except jinja2.TemplateSyntaxError as exc:
            new = TemplateSyntaxError(exc.args)
            # Django's debug page reads template_debug; get_exception_info takes Jinja2's error
            # (the stubs say Django's).
            new.template_debug = django_jinja2.get_exception_info(exc)  # type: ignore[attr-defined,arg-type]
            raise new from exc


class Jinja2(django_jinja2.Jinja2):
    def get_template(self, template_name):
        name, _hash, block = template_name.partition("#")
        template = Template(super().get_template(name).template, self)
        if block:
            if block not in template.template.blocks:
                raise TemplateDoesNotExist(template_name, backend=self)
            template.block = block
        return template

    def from_string(self, template_code):
        return Template(self.env.from_string(template_code), self)
