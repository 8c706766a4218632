from django.db import models
from django.utils.translation import gettext_lazy as _


class Pillar(models.TextChoices):
    """The three areas of the product lifecycle a contribution serves."""

    ADVOCACY = "advocacy", _("Advocacy")
    SUPPORT = "support", _("Support")
    FEEDBACK = "feedback", _("Feedback")


class ReachUnit(models.TextChoices):
    """What the reach figure counts for a kind of contribution."""

    VIEWS = "views", _("Views")
    READERS = "readers", _("Readers")
    ATTENDEES = "attendees", _("Attendees")
    SUBSCRIBERS = "subscribers", _("Subscribers")
    DOWNLOADS = "downloads", _("Downloads or stars")
    MEMBERS = "members", _("Members")
    MENTEES = "mentees", _("Mentees")
    FOLLOWERS = "followers", _("Followers")
    PEOPLE = "people", _("People reached")


class ContributionRole(models.TextChoices):
    AUTHOR = "author", _("Author")
    CO_AUTHOR = "co_author", _("Co-author")
    ANSWERER = "answerer", _("Answerer")
    MODERATOR = "moderator", _("Moderator")
    SPEAKER = "speaker", _("Speaker")
    CO_SPEAKER = "co_speaker", _("Co-speaker")
    HOST = "host", _("Host")
    ORGANIZER = "organizer", _("Organizer")
    LEADER = "leader", _("Leader")
    MAINTAINER = "maintainer", _("Maintainer")
    CONTRIBUTOR = "contributor", _("Contributor")
    MENTOR = "mentor", _("Mentor")
    TRANSLATOR = "translator", _("Translator")
    REVIEWER = "reviewer", _("Reviewer")
    REPORTER = "reporter", _("Reporter")


class EmployerCategory(models.TextChoices):
    INDEPENDENT = "independent", _("Independent / self-employed")
    PRIVATE_COMPANY = "private_company", _("Private company")
    MICROSOFT_PARTNER = "microsoft_partner", _("Microsoft partner company")
    ACADEMIA = "academia", _("University or school (staff)")
    STUDENT = "student", _("Student")
    NONPROFIT = "nonprofit", _("Non-profit organisation")
    UNEMPLOYED = "unemployed", _("Not currently employed")
    MICROSOFT_EMPLOYEE = "microsoft_employee", _("Microsoft employee")
    MICROSOFT_CONTINGENT = (
        "microsoft_contingent",
        _("Microsoft contingent staff (vendor, contractor)"),
    )
    GOVERNMENT = "government", _("Government employee")
    STATE_OWNED = "state_owned", _("State-owned company employee")


# Employer categories that make a person ineligible for an award (seed document).
INELIGIBLE_EMPLOYER_CATEGORIES = frozenset(
    {
        EmployerCategory.MICROSOFT_EMPLOYEE,
        EmployerCategory.MICROSOFT_CONTINGENT,
        EmployerCategory.GOVERNMENT,
        EmployerCategory.STATE_OWNED,
    }
)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


class TargetAudience(models.TextChoices):
    DEVELOPERS = "developers", _("Developers")
    IT_PROS = "it_pros", _("IT professionals")
    DATA = "data", _("Data professionals")
    STUDENTS = "students", _("Students")
    BUSINESS = "business", _("Business users")
    GENERAL = "general", _("General public")
