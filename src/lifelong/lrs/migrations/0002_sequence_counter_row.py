"""Create the statements sequence counter row, so concurrent first writers never race for it."""

from django.db import migrations


def create_counter(apps, schema_editor):
    counter = apps.get_model("lrs", "SequenceCounter")
    counter.objects.get_or_create(name="statements", defaults={"value": 0})


class Migration(migrations.Migration):
    dependencies = [("lrs", "0001_initial")]

    operations = [migrations.RunPython(create_counter, migrations.RunPython.noop)]
