"""Pages of the contribution log (``pages``) and its CSV import and exports (``portability``).

Views read the clock and the request, ask the rules, and call queries and services; no
business rule lives here."""

from contributions.views.pages import (
    contribution_create,
    contribution_delete,
    contribution_duplicate,
    contribution_edit,
    contribution_list,
    contribution_verify,
    contributor_list,
    contributor_log,
    contributor_window,
    my_window,
    profile_edit,
    public_profile,
)
from contributions.views.portability import (
    export_contributions_csv,
    export_json,
    export_page,
    export_profile_csv,
    import_cancel,
    import_confirm,
    import_preview,
    import_template,
    import_upload,
)

__all__ = [
    "contribution_create",
    "contribution_delete",
    "contribution_duplicate",
    "contribution_edit",
    "contribution_list",
    "contribution_verify",
    "contributor_list",
    "contributor_log",
    "contributor_window",
    "export_contributions_csv",
    "export_json",
    "export_page",
    "export_profile_csv",
    "import_cancel",
    "import_confirm",
    "import_preview",
    "import_template",
    "import_upload",
    "my_window",
    "profile_edit",
    "public_profile",
]
