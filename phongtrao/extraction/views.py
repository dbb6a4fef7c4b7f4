"""Upload reports, review what was read, save it into a draft. Views stay thin."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views import View

from phongtrao.catalog.selectors import form_indicators
from phongtrao.core.errors import AppError
from phongtrao.core.mixins import RefusalMixin, RoleRequiredMixin
from phongtrao.core.roles import Role
from phongtrao.core.text import format_number
from phongtrao.extraction import selectors
from phongtrao.extraction.forms import ReviewForm, UploadForm, ValueRowFormSet, row_initial
from phongtrao.extraction.models import SourceDocument
from phongtrao.extraction.report_analysis import analyse
from phongtrao.extraction.services import (
    ReviewedValue,
    extraction_save,
    source_document_create,
)


class DocumentListView(RoleRequiredMixin, View):
    required_role = Role.DATA_ENTRY

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, UploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        created = []
        for upload in form.cleaned_data["files"]:
            try:
                created.append(
                    source_document_create(actor=request.user, name=upload.name, data=upload.read())
                )
            except AppError as exc:
                messages.error(request, exc.message)
        if created:
            messages.success(
                request,
                ngettext("%(n)s report read.", "%(n)s reports read.", len(created))
                % {"n": format_number(len(created))},
            )
        if len(created) == 1:
            return redirect("extraction:review", pk=created[0].pk)
        return redirect("extraction:list")

    def _render(self, request: HttpRequest, form: UploadForm) -> HttpResponse:
        documents = selectors.document_list(user=request.user)[:200]
        return render(request, "extraction/list.html", {"form": form, "documents": documents})


class DocumentReviewView(RefusalMixin, RoleRequiredMixin, View):
    required_role = Role.DATA_ENTRY

    def _document(self, request: HttpRequest, pk: int) -> SourceDocument:
        qs = SourceDocument.objects.visible_to(request.user).select_related("unit")
        return get_object_or_404(qs, pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self._document(request, pk)
        analysis = analyse(document.text)
        form = selectors.festival_form()
        proposals = selectors.value_proposals(analysis=analysis, form=form)
        year = int(document.period) if document.period else analysis.year
        review = ReviewForm(
            initial={"unit_code": document.unit.code if document.unit else "", "year": year}
        )
        rows = ValueRowFormSet(
            initial=[row_initial(code=p.indicator.code, value=p.value) for p in proposals],
            form_kwargs={"indicators": form_indicators(form=form)},
        )
        return self._render(request, document, analysis, review, rows, proposals)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self._document(request, pk)
        form = selectors.festival_form()
        indicators = form_indicators(form=form)
        review = ReviewForm(request.POST)
        rows = ValueRowFormSet(request.POST, form_kwargs={"indicators": indicators})
        if review.is_valid() and rows.is_valid():
            unit = self._unit(request, review)
            if unit is not None:
                by_code = {i.code: i for i in indicators}
                reviewed = [
                    ReviewedValue(by_code[r["indicator"]], r["number"])
                    for r in rows.cleaned_data
                    if r.get("keep")
                ]
                period = str(review.cleaned_data["year"])
                try:
                    extraction_save(
                        actor=request.user, document=document, unit=unit, period=period,
                        rows=reviewed,
                    )  # fmt: skip
                except AppError as exc:
                    messages.error(request, self.refusal_message(exc))
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(n)s value saved into the draft.",
                            "%(n)s values saved into the draft.",
                            len(reviewed),
                        )
                        % {"n": format_number(len(reviewed))},
                    )
                    return redirect(reverse("reporting:entry", args=[form.code, unit.pk, period]))
        analysis = analyse(document.text)
        proposals = selectors.value_proposals(analysis=analysis, form=form)
        return self._render(request, document, analysis, review, rows, proposals)

    def _unit(self, request: HttpRequest, review: ReviewForm) -> Any:
        """The unit the code names in the chosen year, in the user's scope and the form's kinds."""
        data = review.cleaned_data
        try:
            return selectors.review_unit_get(
                code=data["unit_code"], year=data["year"], user=request.user
            )
        except AppError as exc:
            review.add_error("unit_code", exc.message)
            return None

    def _render(self, request, document, analysis, review, rows, proposals) -> HttpResponse:
        year = review.initial.get("year") or analysis.year
        form = selectors.festival_form()
        on = date(int(year), 12, 31) if year else timezone.localdate()
        resolved = selectors.unit_resolve(analysis=analysis)
        context = {
            "document": document,
            "analysis": analysis,
            "segments": selectors.text_segments(analysis=analysis),
            "proposals": proposals,
            "review": review,
            "rows": rows,
            "units": selectors.form_units_for(user=request.user, on=on, form=form),
            "resolved": resolved,
            "resolved_in_scope": selectors.unit_in_scope(user=request.user, unit=resolved),
            "saved_values": document.extracted_values.select_related("indicator", "unit"),
        }
        return render(request, "extraction/review.html", context)


class DocumentFileView(RoleRequiredMixin, View):
    required_role = Role.DATA_ENTRY

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        document = get_object_or_404(SourceDocument.objects.visible_to(request.user), pk=pk)
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)
