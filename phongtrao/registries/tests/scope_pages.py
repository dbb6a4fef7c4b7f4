"""Xã Bờ Y's registry entries for the project's scope walk (phongtrao/tests/test_scope.py)."""

from typing import Any

from phongtrao.registries.models import FestivalPhoto
from phongtrao.registries.registry import REGISTRIES, Registry
from phongtrao.registries.tests import (
    test_awards,
    test_festivals,
    test_field_missions,
    test_outreach,
    test_pacts,
    test_plans,
    test_schemes,
    test_security_teams,
)

CASES = {
    case.registry.slug: case
    for case in (
        test_schemes.TestSchemes, test_festivals.TestFestivalEvents, test_pacts.TestPacts,
        test_awards.TestAwards, test_outreach.TestOutreach, test_field_missions.TestFieldMissions,
        test_security_teams.TestSecurityTeams, test_plans.TestPlans,
    )
}  # fmt: skip


def _entries(w: Any) -> dict[str, Any]:
    """One entry of each registry in Bờ Y, made once per walk and kept on the walker."""
    if not hasattr(w, "registry_entries"):
        entries = {}
        for slug, case in CASES.items():
            registry: Registry = REGISTRIES[slug]
            # Made without the services: the walk counts Bờ Y's audit events before it starts,
            # so these fixtures, made lazily during the walk, must leave none.
            data = case().data(w.commune, w.area)
            m2m = {f.name for f in registry.model._meta.many_to_many}
            entry = registry.model(**{k: v for k, v in data.items() if k not in m2m})
            entry.refresh_derived()
            entry.save()
            for name in m2m & set(data):
                getattr(entry, name).set(data[name])
            entries[slug] = entry
        entries["photo"] = FestivalPhoto.objects.create(
            event=entries["festivals"], image="x/none.jpg", thumbnail="x/none.jpg",
            original_name="anh.jpg",
        )  # fmt: skip
        w.registry_entries = entries
    return w.registry_entries


def registry_object_pages() -> dict[str, Any]:
    pages: dict[str, Any] = {}
    for slug in REGISTRIES:

        def pk(w, slug=slug):
            return [{"pk": _entries(w)[slug].pk}]

        for action in ("detail", "update", "delete", "restore"):
            pages[f"registries:{slug}_{action}"] = pk
        pages[f"registries:{slug}_action"] = lambda w, slug=slug: [
            {"pk": _entries(w)[slug].pk, "action": name}
            for name in ("add-point", "add-photo", "attach", "report", "add-member", "grade")
        ]
    pages["registries:plans_file"] = lambda w: [{"pk": _entries(w)["plans"].pk}]
    pages["registries:pacts_file"] = lambda w: [{"pk": _entries(w)["pacts"].pk}]
    pages["registries:photo"] = lambda w: [
        {"pk": _entries(w)["photo"].pk, "size": size} for size in ("thumb", "full")
    ]
    pages["registries:award_decision"] = lambda w: [{"pk": _entries(w)["awards"].pk}]
    return pages
