"""`phongtrao analytics check|rebuild`: the maintained totals against a full recount."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from phongtrao.analytics.services import totals_rebuild
from phongtrao.analytics.totals import totals_differences

SHOWN = 20


class Command(BaseCommand):
    help = "Check the subtree totals against a recount of every value, or rebuild them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("check", help="Exit 1 and list the differences when a total is wrong.")
        sub.add_parser("rebuild", help="Count every total again from the values.")

    def handle(self, *args, action: str, **options) -> None:
        if action == "rebuild":
            written = totals_rebuild()
            self.stdout.write(_("%(count)s totals rebuilt.") % {"count": written})
            return
        differences = totals_differences()
        if differences:
            for line in differences[:SHOWN]:
                self.stdout.write(line)
            raise CommandError(
                _("%(count)s totals differ from a recount; run `phongtrao analytics rebuild`.")
                % {"count": len(differences)}
            )
        self.stdout.write(_("Every total agrees with a recount of the values."))
