from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from phongtrao.ops.demo import DEMO_PASSWORD, demo_create, demo_logins


class Command(BaseCommand):
    help = "Create the demo province of Quảng Ngãi with users, units and history back to 2019."

    def handle(self, *args, **options) -> None:
        result = demo_create()
        self.stdout.write(
            f"units created {result.units_created}\nusers created {result.users_created}"
        )
        self.stdout.write("\n" + _("Log in at http://127.0.0.1:8000 with one of these accounts:"))
        for username, role, unit in demo_logins():
            self.stdout.write(f"  {username:<18} {role:<12} {unit}")
        self.stdout.write(
            _("Password of every demo account: %(password)s") % {"password": DEMO_PASSWORD}
        )
