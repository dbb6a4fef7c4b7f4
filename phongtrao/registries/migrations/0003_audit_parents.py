"""Older audit events of an entry's parts (points, reviews, photos, members, gradings, plan
report-backs) learn which entry they belong to, so the entry's history lists them too.

The entry is read from the event's own changes (a created or deleted part records its link),
else from the part's row when it still exists; an event for which neither tells stays as it was.
"""

from django.db import migrations

# part model -> (its field naming the entry or, for member gradings, the member; entry model)
PARTS = {
    "festivalphoto": ("event", "festivalevent"),
    "planreport": ("plan", "plan"),
    "schemepoint": ("scheme", "scheme"),
    "schemereview": ("scheme", "scheme"),
    "teammember": ("team", "securityteam"),
    "teamgrading": ("team", "securityteam"),
    "membergrading": ("member", "securityteam"),
}
BATCH = 1000


def _linked(changes, name):
    pair = (changes or {}).get(name)
    if isinstance(pair, list) and len(pair) == 2:
        return pair[1] if pair[1] is not None else pair[0]
    return None


def link_parents(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    TeamMember = apps.get_model("registries", "TeamMember")
    types = {ct.model: ct for ct in ContentType.objects.filter(app_label="registries")}
    for part, (field, entry) in PARTS.items():
        if part not in types or entry not in types:
            continue  # a database with no such events yet
        model = apps.get_model("registries", part)
        rows = dict(model.objects.values_list("pk", f"{field}_id"))
        team_of = dict(TeamMember.objects.values_list("pk", "team_id")) if part == "membergrading" else None
        changed = []
        events = AuditEvent.objects.filter(content_type=types[part], parent_type=None)
        for event in events.only("id", "object_id", "changes").iterator(chunk_size=BATCH):
            linked = _linked(event.changes, field)
            if linked is None and event.object_id.isdigit():
                linked = rows.get(int(event.object_id))
            if team_of is not None and linked is not None:
                linked = team_of.get(int(linked))
            if linked is None:
                continue
            event.parent_type = types[entry]
            event.parent_id = str(linked)
            changed.append(event)
            if len(changed) >= BATCH:
                AuditEvent.objects.bulk_update(changed, ["parent_type", "parent_id"])
                changed = []
        AuditEvent.objects.bulk_update(changed, ["parent_type", "parent_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_audit_parent"),
        ("registries", "0002_scheme_types"),
    ]

    operations = [migrations.RunPython(link_parents, migrations.RunPython.noop)]
