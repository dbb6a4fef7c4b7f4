from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_unit_path(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    Unit = apps.get_model("units", "Unit")
    path = Unit.objects.filter(pk=OuterRef("unit_id")).values("path")[:1]
    AuditEvent.objects.filter(unit__isnull=False).update(unit_path=Subquery(path))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="unit_path",
            field=models.CharField(
                blank=True, db_index=True, max_length=255, verbose_name="unit path"
            ),
        ),
        migrations.RunPython(fill_unit_path, migrations.RunPython.noop),
    ]
