import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_festival_form"),
        ("reporting", "0005_value_import_and_changes"),
        ("units", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # One index fewer to write for each value: the unique key in the order (indicator, period,
    # unit) also serves what the (indicator, period) index did. The new key goes in before the
    # old one goes out, so no moment lacks one.
    operations = [
        migrations.AddConstraint(
            model_name="datavalue",
            constraint=models.UniqueConstraint(
                fields=("indicator", "period", "unit"),
                name="datavalue_indicator_period_unit_unique",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="datavalue",
            name="datavalue_indicator_unit_period_unique",
        ),
        migrations.RemoveIndex(
            model_name="datavalue",
            name="reporting_d_indicat_437b58_idx",
        ),
        migrations.AlterField(
            model_name="datavalue",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="updated by",
            ),
        ),
    ]
