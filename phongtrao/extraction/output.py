"""The command line's output: the stable JSON contract and a table for people."""

import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from phongtrao.core.text import format_number
from phongtrao.extraction.figures import Figure
from phongtrao.extraction.report_analysis import Analysis
from phongtrao.units.models import Unit


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _figure(figure: Figure, with_indicator: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"indicator": figure.indicator} if with_indicator else {}
    return row | {
        "value": _number(figure.value),
        "start": figure.start,
        "end": figure.end,
        "text": figure.text,
    }


def as_dict(analysis: Analysis, unit: Unit | None) -> dict[str, Any]:
    return {
        "period": str(analysis.year) if analysis.year else None,
        "unit": {"code": unit.code, "name": unit.name} if unit else None,
        "values": [_figure(f, True) for f in analysis.values],
        "unmatched": [_figure(f, False) for f in analysis.unmatched],
    }


def as_json(analysis: Analysis, unit: Unit | None) -> str:
    return json.dumps(as_dict(analysis, unit), ensure_ascii=False)


def as_table(analysis: Analysis, unit: Unit | None) -> str:
    period_label, unit_label = _("Period"), _("Unit")
    indicator_label, value_label, text_label = _("Indicator"), _("Value"), _("Text")
    unit_text = f"{unit.name} ({unit.code})" if unit else "—"
    lines = [f"{period_label}: {analysis.year or '—'}", f"{unit_label}: {unit_text}", ""]
    if analysis.values:
        width = max(len(f.indicator or "") for f in analysis.values)
        lines.append(f"{indicator_label:<{width}}  {value_label:>15}  {text_label}")
        for figure in analysis.values:
            lines.append(
                f"{figure.indicator:<{width}}  {format_number(figure.value):>15}  {figure.text}"
            )
    else:
        lines.append(_("No figure tied to an indicator was found."))
    if analysis.unmatched:
        lines += ["", _("Numbers not tied to an indicator:")]
        lines += [f"  {format_number(f.value):>15}  {f.text}" for f in analysis.unmatched]
    return "\n".join(lines)
