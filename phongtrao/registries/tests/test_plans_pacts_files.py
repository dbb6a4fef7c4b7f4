"""What plans and pacts add to the shared registry tests: the checklist of units that reported
back, partner units, and attached files served only inside the user's scope."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.registries import files, services
from phongtrao.registries.models import Pact, Plan, PlanReport
from phongtrao.registries.services.attachments import plan_report_set

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def clerk(make_user, bo_y):
    return make_user("boy_nhaplieu", Role.DATA_ENTRY, (bo_y,))


@pytest.fixture
def outsider(make_user, cam_thanh):
    return make_user("ct_nhaplieu", Role.DATA_ENTRY, (cam_thanh,))


@pytest.fixture
def areas(make_area, bo_y):
    return make_area(bo_y, "Tổ dân phố 1"), make_area(bo_y, "Thôn Iệc")


@pytest.fixture
def plan(clerk, bo_y, areas):
    return services.entry_create(
        actor=clerk, model=Plan,
        data={"unit": bo_y, "number": "08/KH-CAX", "issued_on": date(2026, 7, 20),
              "title": "Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2026",
              "directed_units": list(areas)},
    )  # fmt: skip


@pytest.fixture
def pact(clerk, bo_y, areas):
    return services.entry_create(
        actor=clerk, model=Pact,
        data={"unit": bo_y, "signed_on": date(2026, 3, 26), "partners": [areas[1]],
              "content": "Phối hợp giữ gìn an ninh, trật tự thôn"},
    )  # fmt: skip


def _action(entry, action: str) -> str:
    slug = "plans" if isinstance(entry, Plan) else "pacts"
    return reverse(f"registries:{slug}_action", args=[entry.pk, action])


def _file_url(entry) -> str:
    slug = "plans" if isinstance(entry, Plan) else "pacts"
    return reverse(f"registries:{slug}_file", args=[entry.pk])


# --- plans: the checklist -----------------------------------------------------------------------


def test_ticking_a_directed_unit_records_the_day_it_reported_back(client, clerk, plan, areas):
    # given
    client.force_login(clerk)
    tdp1, iec = areas
    # when Thôn Iệc is ticked as having reported on 10/8/2026
    response = client.post(
        _action(plan, "report"), {"unit": iec.pk, "reported_on": "10/08/2026"}, follow=True
    )
    # then the checklist shows it, and only it, with that day
    checklist = [
        (unit.name, report.reported_on if report else None)
        for unit, report in response.context["checklist"]
    ]
    assert checklist == [("Tổ dân phố 1", None), ("Thôn Iệc", date(2026, 8, 10))]
    assert [str(m) for m in response.context["messages"]] == ["Đã lưu danh sách báo cáo."]


def test_unticking_a_unit_removes_its_report(clerk, plan, areas):
    # given both units have reported
    for area in areas:
        plan_report_set(actor=clerk, plan=plan, unit=area, reported_on=date(2026, 8, 1))
    # when the first is unticked (no date)
    plan_report_set(actor=clerk, plan=plan, unit=areas[0], reported_on=None)
    # then only the second remains
    assert list(PlanReport.objects.values_list("unit__name", "reported_on")) == [
        ("Thôn Iệc", date(2026, 8, 1))
    ]


def test_a_unit_the_plan_does_not_direct_cannot_be_ticked(client, clerk, plan, make_area, bo_y):
    # given a residential area of the commune that the plan does not direct
    other = make_area(bo_y, "Làng Le")
    client.force_login(clerk)
    events = AuditEvent.objects.count()
    # when it is ticked through the page, and through the service
    response = client.post(_action(plan, "report"), {"unit": other.pk, "reported_on": "10/08/2026"})
    with pytest.raises(AppError) as refused:
        plan_report_set(actor=clerk, plan=plan, unit=other, reported_on=date(2026, 8, 10))
    # then both are refused and nothing was written
    assert response.status_code == 404
    assert refused.value.message == "Làng Le không thuộc các đơn vị thực hiện kế hoạch này."
    assert (PlanReport.objects.count(), AuditEvent.objects.count()) == (0, events)


# --- pacts: partners ---------------------------------------------------------------------------


def test_a_pacts_partners_are_shown_and_audited(client, clerk, pact, areas):
    # given
    client.force_login(clerk)
    # when the pact adds the residential group as a partner
    services.entry_update(actor=clerk, entry=pact, data={"partners": list(areas)})
    response = client.get(reverse("registries:pacts_detail", args=[pact.pk]))
    # then the detail page names both partners and the audit keeps them before and after
    fields = {str(label): value for label, value in response.context["fields"]}
    assert fields["đơn vị cùng ký"] == "Tổ dân phố 1, Thôn Iệc"
    event = AuditEvent.objects.get(object_id=str(pact.pk), action="update")
    assert event.changes["partners"] == [[areas[1].pk], sorted(a.pk for a in areas)]


def test_a_partner_outside_the_users_units_is_refused(clerk, pact, areas, make_area, cam_thanh):
    # given a residential area of another commune
    foreign = make_area(cam_thanh, "Tổ dân phố 3")
    events = AuditEvent.objects.count()
    # when Bờ Y's clerk names it as a partner
    with pytest.raises(AppError) as refused:
        services.entry_update(actor=clerk, entry=pact, data={"partners": [areas[1], foreign]})
    # then it is answered as a missing unit and the pact is unchanged
    assert refused.value.code == ErrorCode.NOT_FOUND
    assert list(Pact.objects.get(pk=pact.pk).partners.all()) == [areas[1]]
    assert AuditEvent.objects.count() == events


# --- attached files ----------------------------------------------------------------------------


def test_an_attached_file_is_kept_and_downloaded_in_scope(client, clerk, plan):
    # given
    client.force_login(clerk)
    # when a PDF is attached to the plan
    upload = SimpleUploadedFile("ke-hoach-08.pdf", PDF, content_type="application/pdf")
    client.post(_action(plan, "attach"), {"file": upload})
    # then it is stored under the registries' root and downloads as it was sent
    plan.refresh_from_db()
    assert plan.attachment_name == "ke-hoach-08.pdf"
    assert files.path_of(plan.attachment).read_bytes() == PDF
    response = client.get(_file_url(plan))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ke-hoach-08.pdf"' in response["Content-Disposition"]


def test_an_attached_file_is_404_outside_the_users_units(client, clerk, outsider, pact):
    # given a file attached to Bờ Y's pact
    from phongtrao.registries.services.attachments import attachment_set

    attachment_set(actor=clerk, entry=pact, name="giao-uoc.pdf", content=PDF)
    # when Cẩm Thành's clerk asks for it
    client.force_login(outsider)
    response = client.get(_file_url(pact))
    # then it answers like a missing file
    assert response.status_code == 404


def test_a_file_of_another_type_is_refused_and_nothing_changes(client, clerk, pact, tmp_path):
    # given
    client.force_login(clerk)
    events = AuditEvent.objects.count()
    # when a program is attached under a PDF's name
    upload = SimpleUploadedFile("giao-uoc.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    response = client.post(_action(pact, "attach"), {"file": upload}, follow=True)
    # then the page says why, no file is kept and the pact is unchanged
    assert [str(m) for m in response.context["messages"]] == [
        "Hãy đính kèm tệp PDF, Word, Excel, JPEG hoặc PNG."
    ]
    pact.refresh_from_db()
    assert (pact.attachment, pact.attachment_name) == ("", "")
    assert not (tmp_path / "registries").exists()
    assert AuditEvent.objects.count() == events
