"""What some registries add to the generic pages: points and reviews of a model, photos of a
festival event, attached files, members and grading of a security team, a plan's checklist,
and the printable list of recipients of a decision.

All changes go through one POST page per entry (`<registry>/<pk>/action/<name>/`), so the
scope check (the entry is taken through the user's scope first) is written once.
"""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError
from phongtrao.core.roles import Role
from phongtrao.registries import files
from phongtrao.registries.forms import (
    AttachmentForm,
    GradeForm,
    MemberForm,
    PhotoForm,
    PlanReportForm,
    PointForm,
    ReviewForm,
)
from phongtrao.registries.models import (
    Award,
    FestivalEvent,
    FestivalPhoto,
    Pact,
    Plan,
    Scheme,
    SchemePoint,
    SchemeReview,
    SecurityTeam,
    TeamMember,
)
from phongtrao.registries.registry import AWARDS, FESTIVALS, REGISTRIES, Registry
from phongtrao.registries.services import attachments, festivals, schemes, teams
from phongtrao.registries.views.base import RegistryView, url_name


def extra_context(request: HttpRequest, registry: Registry, entry: Any) -> dict[str, Any]:
    user = request.user
    if isinstance(entry, Scheme):
        return {
            "points": entry.points.select_related("unit"),
            "reviews": entry.reviews.all(),
            "point_form": PointForm(user=user),
            "review_form": ReviewForm(),
        }
    if isinstance(entry, FestivalEvent):
        return {"photos": entry.photos.all(), "photo_form": PhotoForm()}
    if isinstance(entry, Plan):
        reported = {r.unit_id: r for r in entry.reports.all()}
        return {
            "attachment_form": AttachmentForm(),
            "checklist": [(u, reported.get(u.pk)) for u in entry.directed_units.all()],
        }
    if isinstance(entry, Pact):
        return {"attachment_form": AttachmentForm()}
    if isinstance(entry, SecurityTeam):
        members = list(entry.members.prefetch_related("gradings"))
        return {
            "members": [(m, {g.year: g for g in m.gradings.all()}) for m in members],
            "gradings": entry.gradings.order_by("-year"),
            "member_form": MemberForm(),
            "grade_form": GradeForm(),
        }
    return {}


class EntryActionView(RegistryView):
    required_role = Role.DATA_ENTRY

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        entry = self.get_entry(pk)
        handler = ACTIONS.get((type(entry), action))
        if handler is None:
            raise Http404
        try:
            handler(request, entry)
        except AppError as exc:
            messages.error(request, self.refusal_message(exc))
        return redirect(url_name(self.registry, "detail"), pk=entry.pk)


def _invalid_form(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _add_point(request: HttpRequest, scheme: Scheme) -> None:
    form = PointForm(request.POST, user=request.user)
    if not form.is_valid():
        return _invalid_form(request, form)
    schemes.scheme_point_add(actor=request.user, scheme=scheme, **form.cleaned_data)
    messages.success(request, _("The point was added."))


def _remove_point(request: HttpRequest, scheme: Scheme) -> None:
    point = get_object_or_404(SchemePoint, scheme=scheme, pk=_int(request.POST.get("point")))
    schemes.scheme_point_remove(actor=request.user, point=point)
    messages.success(request, _("The point was removed."))


def _set_review(request: HttpRequest, scheme: Scheme) -> None:
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _invalid_form(request, form)
    schemes.scheme_review_set(actor=request.user, scheme=scheme, **form.cleaned_data)
    messages.success(request, _("The year review was saved."))


def _remove_review(request: HttpRequest, scheme: Scheme) -> None:
    review = get_object_or_404(SchemeReview, scheme=scheme, pk=_int(request.POST.get("review")))
    schemes.scheme_review_remove(actor=request.user, review=review)


def _add_photo(request: HttpRequest, event: FestivalEvent) -> None:
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid_form(request, form)
    upload = form.cleaned_data["photo"]
    # Reading one byte past the limit is enough for clean_photo to refuse an oversized file.
    festivals.festival_photo_add(
        actor=request.user, event=event, name=upload.name,
        content=upload.read(files.MAX_PHOTO_BYTES + 1), caption=form.cleaned_data["caption"],
    )  # fmt: skip
    messages.success(request, _("The photo was added."))


def _remove_photo(request: HttpRequest, event: FestivalEvent) -> None:
    photo = get_object_or_404(FestivalPhoto, event=event, pk=_int(request.POST.get("photo")))
    festivals.festival_photo_remove(actor=request.user, photo=photo)
    messages.success(request, _("The photo was removed."))


def _attach(request: HttpRequest, entry: Plan | Pact) -> None:
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid_form(request, form)
    upload = form.cleaned_data["file"]
    attachments.attachment_set(
        actor=request.user, entry=entry, name=upload.name,
        content=upload.read(files.MAX_ATTACHMENT_BYTES + 1),
    )  # fmt: skip
    messages.success(request, _("The file was attached."))


def _plan_report(request: HttpRequest, plan: Plan) -> None:
    form = PlanReportForm(request.POST)
    if not form.is_valid():
        return _invalid_form(request, form)
    unit = get_object_or_404(plan.directed_units.all(), pk=form.cleaned_data["unit"])
    attachments.plan_report_set(
        actor=request.user, plan=plan, unit=unit, reported_on=form.cleaned_data["reported_on"]
    )
    messages.success(request, _("The checklist was saved."))


def _add_member(request: HttpRequest, team: SecurityTeam) -> None:
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _invalid_form(request, form)
    teams.team_member_save(actor=request.user, team=team, member=form.save(commit=False))
    messages.success(request, _("The member was added."))


def _remove_member(request: HttpRequest, team: SecurityTeam) -> None:
    member = get_object_or_404(TeamMember, team=team, pk=_int(request.POST.get("member")))
    teams.team_member_remove(actor=request.user, member=member)
    messages.success(request, _("The member was removed."))


def _grade(request: HttpRequest, team: SecurityTeam) -> None:
    form = GradeForm(request.POST)
    if not form.is_valid():
        return _invalid_form(request, form)
    data = form.cleaned_data
    if data["member"]:
        member = get_object_or_404(TeamMember, team=team, pk=data["member"])
        teams.member_grade(
            actor=request.user, member=member, year=data["year"], grade=data["grade"]
        )
    else:
        teams.team_grade(actor=request.user, team=team, year=data["year"], grade=data["grade"])
    messages.success(request, _("The grading was saved."))


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


ACTIONS = {
    (Scheme, "add-point"): _add_point,
    (Scheme, "remove-point"): _remove_point,
    (Scheme, "set-review"): _set_review,
    (Scheme, "remove-review"): _remove_review,
    (FestivalEvent, "add-photo"): _add_photo,
    (FestivalEvent, "remove-photo"): _remove_photo,
    (Plan, "attach"): _attach,
    (Pact, "attach"): _attach,
    (Plan, "report"): _plan_report,
    (SecurityTeam, "add-member"): _add_member,
    (SecurityTeam, "remove-member"): _remove_member,
    (SecurityTeam, "grade"): _grade,
}


class PhotoFileView(RegistryView):
    """A photo or its thumbnail, for logged-in users whose scope holds the event."""

    registry = FESTIVALS

    def get(self, request: HttpRequest, pk: int, size: str) -> HttpResponse:
        photo = get_object_or_404(
            FestivalPhoto.objects.filter(
                event__in=FestivalEvent.objects.visible_to(request.user).alive()
            ),
            pk=pk,
        )
        relative = photo.thumbnail if size == "thumb" else photo.image
        return _file_response(relative, filename=photo.original_name if size != "thumb" else "")


class AttachmentFileView(RegistryView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = self.get_entry(pk)
        if not entry.attachment:
            raise Http404
        return _file_response(entry.attachment, filename=entry.attachment_name)


def _file_response(relative: str, *, filename: str) -> FileResponse:
    try:
        path = files.path_of(relative)
        handle = path.open("rb")
    except (AppError, OSError):
        raise Http404 from None
    extension = path.suffix.lstrip(".").lower()
    response = FileResponse(
        handle, content_type=files.CONTENT_TYPES.get(extension, "application/octet-stream"),
        as_attachment=bool(filename) and extension not in ("jpg", "png"), filename=filename or None,
    )  # fmt: skip
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class AwardDecisionView(RegistryView):
    """Every recipient of the decision an award belongs to, as a printable A4 list."""

    registry = AWARDS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        award = self.get_entry(pk)
        recipients = (
            Award.objects.visible_to(request.user).alive()
            .filter(decision_number=award.decision_number, decision_date=award.decision_date)
            .select_related("unit", "recipient_unit")
            .order_by("recipient_kind", "recipient_name", "pk")
        )  # fmt: skip
        return render(
            request, "registries/award_decision.html", {"award": award, "recipients": recipients}
        )


__all__ = [
    "REGISTRIES",
    "AttachmentFileView",
    "AwardDecisionView",
    "EntryActionView",
    "PhotoFileView",
]
