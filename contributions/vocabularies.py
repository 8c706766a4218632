"""The seed vocabularies: award categories with sub-areas, and contribution kinds.

Loaded by a data migration; staff edit them in the admin afterwards. Names are English here
and translated in templates through the Korean catalog of the enums they map to where needed.
"""

# (slug, name, [(sub-slug, sub-name), ...])
TECHNOLOGY_AREAS = [
    (
        "ai-platform",
        "AI Platform",
        [
            ("azure-ai-services", "Azure AI Services"),
            ("azure-machine-learning", "Azure Machine Learning"),
            ("copilot-extensibility", "Copilot Extensibility"),
        ],
    ),
    (
        "azure",
        "Azure",
        [
            ("azure-infrastructure", "Azure Infrastructure"),
            ("azure-app-platform", "Azure Application Platform"),
            ("azure-cloud-native", "Azure Cloud Native"),
        ],
    ),
    (
        "business-applications",
        "Business Applications",
        [
            ("dynamics-365", "Dynamics 365"),
            ("power-apps", "Power Apps"),
            ("power-automate", "Power Automate"),
        ],
    ),
    (
        "data-platform",
        "Data Platform",
        [
            ("sql-server", "SQL Server"),
            ("microsoft-fabric", "Microsoft Fabric"),
            ("power-bi", "Power BI"),
        ],
    ),
    (
        "developer-technologies",
        "Developer Technologies",
        [
            ("dotnet", ".NET"),
            ("typescript", "TypeScript"),
            ("visual-studio", "Visual Studio and VS Code"),
            ("devops", "DevOps and GitHub"),
        ],
    ),
    (
        "m365",
        "Microsoft 365",
        [
            ("sharepoint", "SharePoint"),
            ("teams", "Microsoft Teams"),
            ("m365-copilot", "Microsoft 365 Copilot"),
        ],
    ),
    (
        "security",
        "Security",
        [
            ("defender", "Microsoft Defender"),
            ("entra", "Microsoft Entra"),
            ("sentinel", "Microsoft Sentinel"),
        ],
    ),
    (
        "windows-devices",
        "Windows and Devices",
        [
            ("windows-client", "Windows Client"),
            ("intune", "Intune and Device Management"),
        ],
    ),
    (
        "windows-development",
        "Windows Development",
        [
            ("winui", "WinUI and Windows App SDK"),
        ],
    ),
    (
        "cloud-datacenter",
        "Cloud and Datacenter Management",
        [
            ("windows-server", "Windows Server"),
            ("powershell", "PowerShell"),
            ("hyper-v", "Hyper-V"),
        ],
    ),
    (
        "internet-of-things",
        "Internet of Things",
        [
            ("azure-iot", "Azure IoT"),
            ("edge-devices", "Edge Devices"),
        ],
    ),
    (
        "mixed-reality",
        "Mixed Reality",
        [
            ("hololens", "HoloLens"),
        ],
    ),
]

# (slug, name, pillar, reach_unit, quantity_label, roles, is_forum_activity)
CONTRIBUTION_KINDS = [
    (
        "forum-answers-microsoft",
        "Forum answers (Microsoft forums)",
        "support",
        "views",
        "answers",
        ["answerer"],
        True,
    ),
    (
        "forum-answers-third-party",
        "Forum answers (third-party forums)",
        "support",
        "views",
        "answers",
        ["answerer"],
        True,
    ),
    (
        "forum-moderation",
        "Forum moderation",
        "support",
        "members",
        "threads moderated",
        ["moderator"],
        True,
    ),
    (
        "blog-post",
        "Blog post, article or guest blog",
        "advocacy",
        "readers",
        "posts",
        ["author", "co_author"],
        False,
    ),
    (
        "wiki-article",
        "Wiki article",
        "advocacy",
        "views",
        "articles",
        ["author", "contributor"],
        False,
    ),
    ("book", "Book", "advocacy", "readers", "books", ["author", "co_author"], False),
    (
        "code-project",
        "Code sample, gallery or open-source project",
        "advocacy",
        "downloads",
        "projects",
        ["author", "maintainer", "contributor"],
        False,
    ),
    (
        "talk-conference",
        "Talk at a conference",
        "advocacy",
        "attendees",
        "sessions",
        ["speaker", "co_speaker"],
        False,
    ),
    (
        "talk-user-group",
        "Talk at a user group",
        "advocacy",
        "attendees",
        "sessions",
        ["speaker", "co_speaker"],
        False,
    ),
    (
        "talk-microsoft-event",
        "Talk at a Microsoft event",
        "advocacy",
        "attendees",
        "sessions",
        ["speaker", "co_speaker"],
        False,
    ),
    (
        "workshop",
        "Workshop",
        "advocacy",
        "attendees",
        "workshops",
        ["speaker", "host", "organizer"],
        False,
    ),
    (
        "video-webinar-podcast",
        "Webinar, video or podcast",
        "advocacy",
        "views",
        "episodes",
        ["host", "speaker", "author"],
        False,
    ),
    (
        "user-group-leadership",
        "User group leadership or event organising",
        "advocacy",
        "members",
        "events",
        ["leader", "organizer"],
        False,
    ),
    ("mentorship", "Mentorship", "advocacy", "mentees", "sessions", ["mentor"], False),
    ("social-media", "Technical social media", "advocacy", "followers", "posts", ["author"], False),
    (
        "translation-review",
        "Translation review",
        "feedback",
        "people",
        "strings reviewed",
        ["translator", "reviewer"],
        False,
    ),
    (
        "product-feedback",
        "Product feedback or bug report",
        "feedback",
        "people",
        "reports",
        ["reporter"],
        False,
    ),
    (
        "other",
        "Other",
        "advocacy",
        "people",
        "items",
        ["author", "contributor", "organizer"],
        False,
    ),
]


def load_vocabularies(technology_area_model, contribution_kind_model) -> None:
    """Create or update the seed rows by slug (idempotent; staff edits to names survive
    only for rows not in this list)."""
    for order, (slug, name, children) in enumerate(TECHNOLOGY_AREAS):
        parent, _ = technology_area_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "parent": None, "sort_order": order * 10}
        )
        for child_order, (child_slug, child_name) in enumerate(children, start=1):
            technology_area_model.objects.update_or_create(
                slug=child_slug,
                defaults={
                    "name": child_name,
                    "parent": parent,
                    "sort_order": order * 10 + child_order,
                },
            )
    for order, (slug, name, pillar, reach, qty, roles, forum) in enumerate(CONTRIBUTION_KINDS):
        contribution_kind_model.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "pillar": pillar,
                "reach_unit": reach,
                "quantity_label": qty,
                "roles": roles,
                "is_forum_activity": forum,
                "sort_order": order,
            },
        )
