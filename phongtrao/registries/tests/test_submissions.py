"""A form sent twice (a double click, a browser's retry) adds its entry once."""

import re
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from phongtrao.core.errors import AppError
from phongtrao.core.models import AuditEvent
from phongtrao.core.roles import Role
from phongtrao.registries.models import FormSubmission, Pact
from phongtrao.registries.services.submissions import entry_create_once

pytestmark = pytest.mark.django_db

CREATE = reverse("registries:pacts_create")


@pytest.fixture
def clerk(make_user, bo_y):
    return make_user("boy_nhaplieu", Role.DATA_ENTRY, (bo_y,))


def _pact(bo_y) -> dict:
    return {"unit": bo_y.pk, "signed_on": "19/08/2025", "partner_names": "Hội Nông dân xã",
            "content": "Phối hợp giữ gìn an ninh nông thôn"}  # fmt: skip


def _pact_events():
    return AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(Pact))


def test_the_add_page_carries_a_token_of_its_own(client, clerk):
    # given
    client.force_login(clerk)
    # when the add page is opened twice
    first, second = (client.get(CREATE).content.decode() for _ in range(2))
    # then each carries a token, a different one
    pattern = r'name="submission" value="([\w-]{43})"'
    assert re.search(pattern, first)[1] != re.search(pattern, second)[1]


def test_the_same_form_sent_twice_adds_one_entry(client, clerk, bo_y):
    # given the add form of a pact, with its token
    client.force_login(clerk)
    token = "Lq3v0uRk1cW2ZbYy8o9Jm5pTt7sXa4nHd6eGf0iKj1Q"
    # when the form is sent twice, as a double click does
    first = client.post(CREATE, _pact(bo_y) | {"submission": token})
    second = client.post(CREATE, _pact(bo_y) | {"submission": token})
    # then one pact was added and audited, and both answers lead to it
    pact = Pact.objects.get()
    detail = reverse("registries:pacts_detail", args=[pact.pk])
    assert (first.status_code, first.url) == (302, detail)
    assert (second.status_code, second.url) == (302, detail)
    assert list(_pact_events().values_list("action", "object_id")) == [("create", str(pact.pk))]


def test_two_forms_add_two_entries(client, clerk, bo_y):
    # given two add pages, each with its own token
    client.force_login(clerk)
    tokens = [client.get(CREATE).context["submission_token"] for _ in range(2)]
    # when both are sent
    for token in tokens:
        client.post(CREATE, _pact(bo_y) | {"submission": token})
    # then
    assert Pact.objects.count() == 2


def test_a_token_sent_by_another_user_adds_nothing(make_user, clerk, bo_y):
    # given a pact added through a form of the clerk's
    data = {"unit": bo_y, "partner_names": "Hội Nông dân xã", "content": "Phối hợp",
            "signed_on": date(2025, 8, 19)}  # fmt: skip
    entry_create_once(actor=clerk, token="t" * 43, model=Pact, data=data)
    other = make_user("boy_nhaplieu2", Role.DATA_ENTRY, (bo_y,))
    # when another user sends the same token
    with pytest.raises(AppError) as refused:
        entry_create_once(actor=other, token="t" * 43, model=Pact, data=data)
    # then it is refused and nothing was added
    assert refused.value.message == "Biểu mẫu này đã được gửi; hãy mở lại biểu mẫu."
    assert (Pact.objects.count(), FormSubmission.objects.count()) == (1, 1)
