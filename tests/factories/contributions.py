import datetime

import factory

from contributions.models import Contribution, ContributionKind, TechnologyArea
from contributions.services import canonical_url, ensure_contributor
from tests.factories.users import UserFactory


def area(slug: str) -> TechnologyArea:
    return TechnologyArea.objects.get(slug=slug)


def kind(slug: str) -> ContributionKind:
    return ContributionKind.objects.get(slug=slug)


class ContributorFactory(factory.Factory):
    """A contributor profile: made through the account, as in real life."""

    class Meta:
        model = dict

    @classmethod
    def _create(cls, model_class, *args, primary_area=None, **kwargs):
        user = kwargs.pop("user", None) or UserFactory()
        contributor = ensure_contributor(user=user)
        if primary_area is not None:
            kwargs["primary_area"] = primary_area
        for name, value in kwargs.items():
            setattr(contributor, name, value)
        if kwargs:
            contributor.save()
        return contributor


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    contributor = factory.SubFactory(ContributorFactory)
    kind = factory.LazyFunction(lambda: kind("blog-post"))
    technology_area = factory.LazyFunction(lambda: area("dotnet"))
    title = factory.Sequence(lambda n: f"Contribution number {n}")
    date = datetime.date(2026, 1, 15)
    url = factory.Sequence(lambda n: f"https://example.com/post/{n}")
    canonical_url = factory.LazyAttribute(lambda o: canonical_url(o.url))
    quantity = 1
    reach = 100
