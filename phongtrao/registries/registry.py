"""Each registry declared once: its model, form, columns, filters and file layout.

The generic views, the XLSX import and export, the URLs and the shared tests read these
declarations, so a registry is a model plus a few lines here (NetBox's pattern of one
declaration driving list, detail, edit, import and export).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from phongtrao.registries import forms as registry_forms
from phongtrao.registries.models import (
    Award,
    FestivalEvent,
    FieldMission,
    OutreachActivity,
    Pact,
    Plan,
    RecipientKind,
    RegistryEntry,
    ReviewStatus,
    Scheme,
    SchemeReview,
    SchemeType,
    SecurityTeam,
)


@dataclass(frozen=True)
class Column:
    """One column of the XLSX file: `kind` says how a cell is read and written.

    Kinds: text, int, decimal, date, choice, bool, unit (a unit code), units (codes separated
    by commas), type (a scheme type by name or code).
    """

    name: str
    header: str
    kind: str = "text"
    required: bool = False


@dataclass(frozen=True)
class Registry:
    slug: str
    model: type[RegistryEntry]
    form_class: type[registry_forms.EntryForm]
    columns: tuple[Column, ...]
    list_fields: tuple[str, ...]
    sorts: dict[str, str]
    default_sort: str
    select_related: tuple[str, ...] = ("unit",)
    type_field: str = ""
    status_choices: tuple[tuple[str, Any], ...] = ()
    status_q: Callable[[str, int | None], Q] | None = None
    year_q: Callable[[int], Q] | None = None
    # Rows of one file that name the same thing (the same key twice is refused).
    natural_key: tuple[str, ...] = ()
    # Holds personal data: exports are audited.
    personal: bool = False
    extra_template: str = ""
    create_service: Callable[..., RegistryEntry] | None = None
    icon: str = ""
    type_choices: Callable[[], list[tuple[str, str]]] | None = field(default=None)

    @property
    def verbose_name(self) -> str:
        return self.model._meta.verbose_name

    @property
    def verbose_name_plural(self) -> str:
        return self.model._meta.verbose_name_plural

    def types(self) -> list[tuple[str, str]]:
        if self.type_choices:
            return self.type_choices()
        if self.type_field:
            return list(self.model._meta.get_field(self.type_field).choices)
        return []


UNIT = Column("unit", "Mã đơn vị", "unit", required=True)


def _scheme_types() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in SchemeType.objects.values_list("pk", "name")]


def _scheme_year(year: int) -> Q:
    """Models that existed in a year: founded by then and not dissolved in an earlier year."""
    dissolved = SchemeReview.objects.filter(
        scheme=OuterRef("pk"), status=ReviewStatus.DISSOLVED, year__lt=year
    )
    return Q(year__lte=year) & ~Q(Exists(dissolved))


def _scheme_status(value: str, year: int | None) -> Q:
    reviews = SchemeReview.objects.filter(scheme=OuterRef("pk"), status=value)
    if year:
        reviews = reviews.filter(year=year)
    return Q(Exists(reviews))


def _team_year(year: int) -> Q:
    return Q(year__lte=year) & (Q(dissolved_on__isnull=True) | Q(dissolved_on__year__gte=year))


def _team_status(value: str, year: int | None) -> Q:
    """Active: in office at the end of the year (as SECURITY_TEAMS counts), or today."""
    if year is None:
        return Q(dissolved_on__isnull=value == "active")
    dissolved = Q(dissolved_on__lte=date(year, 12, 31))
    return dissolved if value == "dissolved" else ~dissolved | Q(dissolved_on__isnull=True)


def _pact_status(value: str, year: int | None) -> Q:
    return ~Q(evaluation="") if value == "evaluated" else Q(evaluation="")


def _plan_status(value: str, year: int | None) -> Q:
    return ~Q(attachment="") if value == "attached" else Q(attachment="")


def _scheme_create(*, actor: Any, model: type, data: dict, source: str = "web") -> Scheme:
    from phongtrao.registries.services.schemes import scheme_create

    return scheme_create(actor=actor, data=data, source=source)


REGISTRIES: dict[str, Registry] = {}


def register(registry: Registry) -> Registry:
    REGISTRIES[registry.slug] = registry
    return registry


SCHEMES = register(Registry(
    slug="schemes",
    model=Scheme,
    form_class=registry_forms.SchemeForm,
    columns=(
        UNIT,
        Column("name", "Tên mô hình", required=True),
        Column("scheme_type", "Loại mô hình", "type", required=True),
        Column("field", "Lĩnh vực", "choice"),
        Column("level", "Cấp", "choice"),
        Column("founded_on", "Ngày thành lập", "date", required=True),
        Column("description", "Mô tả"),
    ),
    list_fields=("name", "scheme_type", "unit", "founded_on", "level"),
    sorts={"name": "name", "date": "founded_on", "unit": "unit__name"},
    default_sort="-date",
    select_related=("unit", "scheme_type"),
    type_field="scheme_type",
    type_choices=_scheme_types,
    status_choices=tuple(ReviewStatus.choices),
    status_q=_scheme_status,
    year_q=_scheme_year,
    natural_key=("unit", "name"),
    extra_template="registries/_scheme_extra.html",
    create_service=_scheme_create,
))  # fmt: skip

FESTIVALS = register(Registry(
    slug="festivals",
    model=FestivalEvent,
    form_class=registry_forms.FestivalEventForm,
    columns=(
        UNIT,
        Column("held_on", "Ngày tổ chức", "date", required=True),
        Column("venue", "Địa điểm", required=True),
        Column("participants", "Số người tham dự", "int"),
        Column("guests", "Khách mời, lãnh đạo dự"),
        Column("has_rally", "Mít tinh", "bool"),
        Column("has_commendation", "Khen thưởng", "bool"),
        Column("has_pact_signing", "Ký giao ước", "bool"),
        Column("has_cultural_sports", "Văn hóa, văn nghệ, thể thao", "bool"),
        Column("has_gratitude", "Thăm hỏi, đền ơn đáp nghĩa", "bool"),
        Column("has_gifts", "Tặng quà", "bool"),
        Column("gifts_value_vnd", "Giá trị quà tặng (đồng)", "decimal"),
        Column("description", "Mô tả"),
    ),
    list_fields=("held_on", "venue", "unit", "participants", "gifts_value_vnd"),
    sorts={
        "date": "held_on", "venue": "venue", "participants": "participants", "unit": "unit__name",
    },
    default_sort="-date",
    natural_key=("unit", "held_on", "venue"),
    extra_template="registries/_festival_extra.html",
))  # fmt: skip

PACTS = register(Registry(
    slug="pacts",
    model=Pact,
    form_class=registry_forms.PactForm,
    columns=(
        UNIT,
        Column("signed_on", "Ngày ký", "date", required=True),
        Column("partners", "Mã đơn vị cùng ký", "units"),
        Column("partner_names", "Tổ chức khác cùng ký"),
        Column("content", "Nội dung", required=True),
        Column("evaluation", "Đánh giá cuối năm"),
    ),
    list_fields=("signed_on", "unit", "partner_names", "content"),
    sorts={"date": "signed_on", "unit": "unit__name"},
    default_sort="-date",
    status_choices=(("evaluated", _("evaluated")), ("pending", _("not evaluated yet"))),
    status_q=_pact_status,
    extra_template="registries/_attachment_extra.html",
))  # fmt: skip

AWARDS = register(Registry(
    slug="awards",
    model=Award,
    form_class=registry_forms.AwardForm,
    columns=(
        UNIT,
        Column("form", "Hình thức", "choice", required=True),
        Column("authority", "Cấp ra quyết định", required=True),
        Column("authority_level", "Cấp", "choice", required=True),
        Column("decision_number", "Số quyết định", required=True),
        Column("decision_date", "Ngày quyết định", "date", required=True),
        Column("recipient_kind", "Tập thể/cá nhân", "choice", required=True),
        Column("recipient_unit", "Mã đơn vị được khen", "unit"),
        Column("recipient_name", "Tên người/tổ chức được khen"),
        Column("position", "Chức vụ"),
        Column("workplace", "Đơn vị công tác"),
        Column("achievement", "Thành tích", required=True),
    ),
    list_fields=(
        "decision_date", "decision_number", "form", "recipient_kind", "recipient_display", "unit",
    ),
    sorts={"date": "decision_date", "decision": "decision_number", "unit": "unit__name"},
    default_sort="-date",
    select_related=("unit", "recipient_unit"),
    type_field="form",
    status_choices=tuple(RecipientKind.choices),
    status_q=lambda value, year: Q(recipient_kind=value),
    natural_key=("decision_number", "decision_date", "recipient_unit", "recipient_name"),
    personal=True,
    extra_template="registries/_award_extra.html",
))  # fmt: skip

OUTREACH = register(Registry(
    slug="outreach",
    model=OutreachActivity,
    form_class=registry_forms.OutreachForm,
    columns=(
        UNIT,
        Column("channel", "Hình thức tuyên truyền", "choice", required=True),
        Column("held_on", "Ngày", "date", required=True),
        Column("items", "Số tin bài, buổi", "int", required=True),
        Column("audience", "Số lượt người", "int"),
        Column("topic", "Chủ đề", required=True),
    ),
    list_fields=("held_on", "channel", "topic", "unit", "items", "audience"),
    sorts={"date": "held_on", "items": "items", "audience": "audience", "unit": "unit__name"},
    default_sort="-date",
    type_field="channel",
    natural_key=("unit", "channel", "held_on", "topic"),
))  # fmt: skip

FIELD_MISSIONS = register(Registry(
    slug="field-missions",
    model=FieldMission,
    form_class=registry_forms.FieldMissionForm,
    columns=(
        UNIT,
        Column("key_area", "Mã địa bàn trọng điểm", "unit", required=True),
        Column("started_on", "Từ ngày", "date", required=True),
        Column("ended_on", "Đến ngày", "date", required=True),
        Column("officer_visits", "Số lượt cán bộ", "int", required=True),
        Column("activities", "Nội dung thực hiện", required=True),
        Column("households_visited", "Số hộ đã đến", "int"),
        Column("meetings_held", "Số buổi họp", "int"),
        Column("issues_resolved", "Số vụ việc giải quyết", "int"),
    ),
    list_fields=("started_on", "ended_on", "key_area", "unit", "officer_visits"),
    sorts={"date": "started_on", "visits": "officer_visits", "unit": "unit__name"},
    default_sort="-date",
    select_related=("unit", "key_area"),
    natural_key=("unit", "key_area", "started_on"),
))  # fmt: skip

TEAMS = register(Registry(
    slug="security-teams",
    model=SecurityTeam,
    form_class=registry_forms.SecurityTeamForm,
    columns=(
        UNIT,
        Column("name", "Tên tổ", required=True),
        Column("areas", "Mã khu dân cư phụ trách", "units", required=True),
        Column("established_on", "Ngày thành lập", "date", required=True),
        Column("decision", "Quyết định thành lập"),
        Column("dissolved_on", "Ngày giải thể", "date"),
    ),
    list_fields=("name", "unit", "established_on", "decision"),
    sorts={"name": "name", "date": "established_on", "unit": "unit__name"},
    default_sort="name",
    status_choices=(("active", _("active")), ("dissolved", _("dissolved"))),
    status_q=_team_status,
    year_q=_team_year,
    natural_key=("unit", "name"),
    personal=True,
    extra_template="registries/_team_extra.html",
))  # fmt: skip

PLANS = register(Registry(
    slug="plans",
    model=Plan,
    form_class=registry_forms.PlanForm,
    columns=(
        UNIT,
        Column("number", "Số, ký hiệu", required=True),
        Column("issued_on", "Ngày ban hành", "date", required=True),
        Column("title", "Trích yếu", required=True),
        Column("directed_units", "Mã đơn vị thực hiện", "units"),
    ),
    list_fields=("issued_on", "number", "title", "unit"),
    sorts={"date": "issued_on", "number": "number", "unit": "unit__name"},
    default_sort="-date",
    status_choices=(("attached", _("with a file")), ("missing", _("without a file"))),
    status_q=_plan_status,
    natural_key=("unit", "number"),
    extra_template="registries/_plan_extra.html",
))  # fmt: skip


def registry_for(model: type) -> Registry:
    return next(r for r in REGISTRIES.values() if r.model is model)
