"""The interpreter settings an import changes while it runs, and puts back."""

import gc
import sys

import pytest

from phongtrao.reporting.models import DataValue
from phongtrao.reporting.transfer.commit import values_import
from phongtrao.reporting.transfer.interpreter import (
    GC_THRESHOLDS,
    SWITCH_INTERVAL,
    fewer_collections,
    short_switch_interval,
)

pytestmark = pytest.mark.django_db


def collector() -> tuple[tuple[int, ...], bool]:
    """The collector's thresholds, and whether objects are frozen out of its collections."""
    return gc.get_threshold(), gc.get_freeze_count() > 0


@pytest.mark.parametrize("dry_run", [False, True])
def test_an_import_collects_less_while_it_runs_and_as_before_afterwards(
    tmp_path, form, bo_y, dry_run
):
    # given the process's own collector settings, and a file of one value
    before = gc.get_threshold()
    path = tmp_path / "values.csv"
    path.write_text("indicator,unit,period,value\nSCHEMES_NEW,23377,2026,1\n", encoding="utf-8")
    seen = []
    # when it is imported, noting the collector's settings after each chunk
    result = values_import(path=path, dry_run=dry_run, progress=lambda n: seen.append(collector()))
    # then the chunk was checked with fewer collections, the earlier objects frozen out of them
    assert seen == [(GC_THRESHOLDS, True)]
    # and afterwards the process has its own settings back, nothing left frozen
    assert collector() == (before, False)
    assert (result.imported, DataValue.objects.count()) == (1, 0 if dry_run else 1)


def test_a_setting_held_by_two_imports_is_put_back_after_the_last():
    # given the process's own switch interval
    before = sys.getswitchinterval()
    # when two imports hold the short interval and the first is done
    with short_switch_interval():
        with short_switch_interval():
            pass
        # then the second still has it
        assert sys.getswitchinterval() == SWITCH_INTERVAL
    # and once the second is done too the process has its own back
    assert sys.getswitchinterval() == before


def test_settings_are_put_back_when_the_import_fails():
    # given the process's own collector settings
    before = gc.get_threshold()
    # when an import fails while it holds fewer collections
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("the import failed")
    # then the process has its own settings back
    assert collector() == (before, False)


def test_objects_the_server_froze_stay_frozen_after_an_import():
    # given a process that froze its own objects at start-up, as forking web servers do, and
    # objects made since
    gc.freeze()
    frozen = gc.get_freeze_count()
    made_since = [[] for _ in range(1000)]  # noqa: F841 - alive, so freezing would count them
    try:
        # when an import runs and ends
        with fewer_collections():
            during = gc.get_freeze_count()
        # then it froze nothing more (the objects made since stay out), and thawed nothing of
        # the server's (frozen objects can only have been freed meanwhile)
        assert during <= frozen
        assert 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
