"""The one Jinja2 environment of the project's pages, emails and forms (settings.TEMPLATES):
common's globals and filters plus the domain apps' page pieces."""

from awards.templating import GLOBALS as AWARD_GLOBALS
from common.templating import environment as common_environment


def environment(**options):
    env = common_environment(**options)
    env.globals.update(AWARD_GLOBALS)
    return env
