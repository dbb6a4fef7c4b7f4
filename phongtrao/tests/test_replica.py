"""Two databases: with a replica configured, the dashboards read it and the entry screen and
every write stay on the primary (core/routers.py, docs/scaling.md).

The replica here is a second SQLite file migrated apart and never replicated to, so what a page
finds shows which database it read: Bờ Y exists on the primary only.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongtrao.analytics.rollup import rollup
from phongtrao.catalog.models import Indicator
from phongtrao.core.roles import Role
from phongtrao.core.routers import ReplicaRouter, replica_reads
from phongtrao.reporting.models import DataValue
from phongtrao.reporting.selectors import Boundaries

pytestmark = pytest.mark.django_db


@pytest.fixture
def replica(tmp_path, monkeypatch):
    """A second database, `replica`, with the schema and no data of the test's."""
    filled = connections.configure_settings({
        "default": dict(settings.DATABASES["default"]),
        "replica": {"ENGINE": "django.db.backends.sqlite3",
                    "NAME": str(tmp_path / "replica.sqlite3"), "CONN_MAX_AGE": None},
    })["replica"]  # fmt: skip
    monkeypatch.setitem(settings.DATABASES, "replica", filled)
    monkeypatch.setitem(connections.settings, "replica", filled)
    # Connected here: the test case refuses to open a connection to a database it was not
    # told about, and a persistent one stays open between requests.
    connections["replica"].connect()
    # The router keeps migrations off the replica (streaming replication copies them): made
    # here by hand, as a new replica is made from a copy of the primary.
    monkeypatch.setattr(ReplicaRouter, "allow_migrate", lambda self, db, app_label, **h: True)
    call_command("migrate", database="replica", verbosity=0)
    monkeypatch.undo()
    monkeypatch.setitem(settings.DATABASES, "replica", filled)
    monkeypatch.setitem(connections.settings, "replica", filled)
    yield connections["replica"]
    connections["replica"].close()
    del connections["replica"]


def test_the_dashboard_reads_the_replica(client, make_user, bo_y, replica):
    # given Bờ Y's viewer, Bờ Y being on the primary only
    client.force_login(make_user("boy_xem", Role.VIEWER, (bo_y,)))
    # when Bờ Y's dashboard is opened
    with CaptureQueriesContext(replica) as on_replica:
        response = client.get(reverse("analytics:dashboard", args=[bo_y.pk]))
    # then it read the viewer's scope on the replica, which has neither the viewer's units nor
    # Bờ Y yet, and so answered as for a unit out of scope
    assert response.status_code == 404
    assert len(on_replica) == 1
    assert "units_unit" in on_replica[0]["sql"]


def test_the_entry_screen_and_its_saves_stay_on_the_primary(client, make_user, bo_y, replica):
    # given Bờ Y's clerk
    client.force_login(make_user("boy_nhap", Role.DATA_ENTRY, (bo_y,)))
    url = reverse("reporting:entry", args=["FESTIVAL", bo_y.pk, "2026"])
    # when the entry screen is opened and a cell saved as the screen saves it, with its total
    cell = reverse("analytics:entry_cell", args=["FESTIVAL", bo_y.pk, "2026", "FESTIVAL_EVENTS"])
    with CaptureQueriesContext(replica) as on_replica:
        page = client.get(url)
        saved = client.post(cell, {"value": "3"})
    # then both used the primary only, where the value is, and the total counts it
    assert "tổng cả đơn vị trực thuộc: 3<" in saved.content.decode()
    assert (page.status_code, saved.status_code, len(on_replica)) == (200, 200, 0)
    assert DataValue.objects.get(unit=bo_y, period="2026").number == 3
    assert DataValue.objects.using("replica").count() == 0


def test_a_rollup_inside_replica_reads_reads_the_replica_and_outside_the_primary(bo_y, replica):
    # given a value of Bờ Y on the primary
    events = Indicator.objects.get(code="FESTIVAL_EVENTS")
    DataValue.objects.create(indicator=events, unit=bo_y, period="2026", value="5", number=5)

    def total():
        found = rollup(indicators=[events], units=[bo_y], periods=["2026"],
                       boundaries=Boundaries.HISTORICAL, state="all")  # fmt: skip
        return found.get((events.pk, bo_y.pk, "2026"))

    # when the same roll-up runs inside and outside replica_reads
    with replica_reads():
        from_replica = total()
    # then the replica, which has not received the value, has no total; the primary has it
    assert (from_replica, total()) == (None, 5)
