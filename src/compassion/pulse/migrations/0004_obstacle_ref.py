"""Obstacles get a random address, so an anonymous one's place among named ones is not shown."""

import uuid

from django.db import migrations, models


def give_each_obstacle_a_ref(apps, schema_editor) -> None:
    Obstacle = apps.get_model("pulse", "Obstacle")
    for obstacle in Obstacle.objects.only("pk"):
        Obstacle.objects.filter(pk=obstacle.pk).update(ref=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("pulse", "0003_cycle_reshuffled")]

    operations = [
        migrations.AddField(
            model_name="obstacle",
            name="ref",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_each_obstacle_a_ref, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="obstacle",
            name="ref",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
        migrations.AlterModelOptions(
            name="obstacle",
            options={"ordering": ["-raised_on", "ref"]},
        ),
    ]
