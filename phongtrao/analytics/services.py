"""Writes of analytics: only the rebuild of the derived totals (the triggers keep them)."""

from django.db import transaction

from phongtrao.analytics.models import SubtreeTotal, UnitAncestor
from phongtrao.analytics.totals import totals_recount
from phongtrao.units.models import Unit

BATCH = 5000


@transaction.atomic
def totals_rebuild() -> int:
    """Make the unit ancestors and the subtree totals again from the units and the values,
    for a database whose triggers were off (a bulk load with them disabled, a repair).
    Returns the number of totals written."""
    SubtreeTotal.objects.all().delete()
    UnitAncestor.objects.all().delete()
    ancestors = [
        UnitAncestor(unit_id=pk, ancestor_id=int(part))
        for pk, path in Unit.objects.exclude(path="").values_list("pk", "path").iterator()
        for part in path.strip("/").split("/")
        if int(part) != pk
    ]
    # The ancestors' own trigger is on the units, so these plain inserts are not counted twice.
    UnitAncestor.objects.bulk_create(ancestors, batch_size=BATCH)
    totals = [
        SubtreeTotal(unit_id=u, indicator_id=i, period=p, state=s, count=n, total=t)
        for (u, i, p, s), (n, t) in totals_recount().items()
    ]
    SubtreeTotal.objects.bulk_create(totals, batch_size=BATCH)
    return len(totals)
