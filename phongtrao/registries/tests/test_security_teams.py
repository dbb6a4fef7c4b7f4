from datetime import date

import pytest

from phongtrao.registries import services
from phongtrao.registries.models import TeamMember
from phongtrao.registries.registry import TEAMS
from phongtrao.registries.services.teams import team_member_save
from phongtrao.registries.tests.base import RegistryTestBase

pytestmark = pytest.mark.django_db


class TestSecurityTeams(RegistryTestBase):
    registry = TEAMS
    search = "name"
    changes = {"decision": "35/QĐ-UBND"}
    statuses = ("active", "dissolved")
    related = "members"

    def data(self, unit, area):
        return {
            "unit": unit, "name": "Tổ bảo vệ ANTT thôn Iệc", "areas": [area],
            "established_on": date(2025, 8, 1), "decision": "30/QĐ-UBND",
        }  # fmt: skip

    def give_other_status(self, actor, entry):
        services.entry_update(actor=actor, entry=entry, data={"dissolved_on": date(2025, 12, 1)})

    def add_related(self, actor, entry, units):
        services.entry_update(actor=actor, entry=entry, data={"areas": units})
        for unit in units:
            team_member_save(
                actor=actor, team=entry,
                member=TeamMember(
                    full_name=f"Tổ viên {unit.name}", role="member",
                    appointed_on=entry.established_on,
                ),
            )  # fmt: skip

    def test_a_team_dissolved_the_next_year_is_active_in_the_year_it_served(
        self, client, clerk, entry
    ):
        # given a team set up on 1/8/2025 and dissolved on 1/3/2026
        services.entry_update(actor=clerk, entry=entry, data={"dissolved_on": date(2026, 3, 1)})
        client.force_login(clerk)
        # when the 2025 and 2026 lists are filtered by status
        listed = {
            (year, status): self.listed(client, year=year, status=status)
            for year in (2025, 2026)
            for status in self.statuses
        }
        # then it was active at the end of 2025 (as SECURITY_TEAMS counts it) and dissolved in 2026
        assert listed == {
            (2025, "active"): [entry], (2025, "dissolved"): [],
            (2026, "active"): [], (2026, "dissolved"): [entry],
        }  # fmt: skip

    def test_the_members_table_heads_the_role_column_chuc_danh(self, client, clerk, entry):
        # given a team with one member (accounts' "Role", "Vai trò", once won over the team's)
        team_member_save(
            actor=clerk, team=entry,
            member=TeamMember(full_name="Y Bưu", role="leader", appointed_on=entry.established_on),
        )  # fmt: skip
        client.force_login(clerk)
        # when the clerk opens the team
        page = client.get(self.url("detail", entry.pk)).content.decode()
        # then the member's role is headed "Chức danh"
        assert "<th>Chức danh</th>" in page
        assert "Vai trò" not in page
