"""Source types and their adapters (see ``imports.adapters.base`` for the interface)."""

from imports.adapters import feed, github, stackexchange
from imports.enums import SourceType

ADAPTERS = {
    SourceType.FEED: feed.fetch,
    SourceType.GITHUB: github.fetch,
    SourceType.STACKEXCHANGE: stackexchange.fetch,
}
