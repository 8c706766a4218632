from django.db import migrations


def seed(apps, schema_editor):
    from contributions.vocabularies import load_vocabularies

    load_vocabularies(
        apps.get_model("contributions", "TechnologyArea"),
        apps.get_model("contributions", "ContributionKind"),
    )


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
