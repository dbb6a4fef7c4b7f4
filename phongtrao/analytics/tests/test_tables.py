from datetime import date
from decimal import Decimal

import pytest

from phongtrao.analytics.tables import Column, Kind, Row, Table, table_csv
from phongtrao.analytics.templatetags.analytics_tables import cell, cell_value, table_cells
from phongtrao.units.models import Unit


def test_a_tables_csv_has_a_bom_the_headers_and_machine_numbers():
    # given a table with a unit, a text that looks like a formula, numbers, a date and a gap
    table = Table(
        name="x", file_stem="x", title="X",
        columns=[Column("Đơn vị", Kind.UNIT), Column("Ghi chú"), Column("2026", Kind.NUMBER),
                 Column("%", Kind.PERCENT), Column("Ngày", Kind.DATE)],
        rows=[Row([Unit(name="Xã Bờ Y"), "=1+1", Decimal("1240.50"), Decimal("12.5"),
                   date(2026, 8, 20)]),
              Row([Unit(name="Thôn Iệc"), "", None, None, None])],
    )  # fmt: skip
    # when it is written as CSV
    text = table_csv(table)
    # then Excel finds UTF-8, spreadsheets read the numbers, and no formula runs
    assert text == (
        "\ufeffĐơn vị,Ghi chú,2026,%,Ngày\r\n"
        "Xã Bờ Y,'=1+1,1240.5,12.5,20/08/2026\r\n"
        "Thôn Iệc,,,,\r\n"
    )


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (Decimal(2150), Kind.NUMBER, "2.150"),
        (Decimal("1234.5"), Kind.NUMBER, "1.234,5"),
        (Decimal(5), Kind.CHANGE, "+5"),
        (Decimal(-1708), Kind.CHANGE, "-1.708"),
        (Decimal(0), Kind.CHANGE, "0"),
        (Decimal("85.7"), Kind.PERCENT, "85,7%"),
        (Decimal("-46.7"), Kind.PERCENT_CHANGE, "-46,7%"),
        (Decimal("12.5"), Kind.PERCENT_CHANGE, "+12,5%"),
        (None, Kind.NUMBER, "—"),
        (date(2026, 8, 20), Kind.DATE, "20/08/2026"),
        ("Nháp", Kind.TEXT, "Nháp"),
    ],
)
def test_a_cell_reads_as_officials_write_numbers(value, kind, shown):
    assert cell(value, kind) == shown


@pytest.mark.parametrize(
    ("value", "kind", "machine"),
    [
        (Decimal("1240.50"), Kind.NUMBER, "1240.5"),
        (Decimal("1E+3"), Kind.NUMBER, "1000"),
        (7, Kind.NUMBER, "7"),
        (None, Kind.NUMBER, ""),
        ("2026", Kind.TEXT, ""),
    ],
)
def test_a_cells_chart_value_is_a_machine_number(value, kind, machine):
    assert cell_value(value, kind) == machine


def test_a_rows_cells_are_drawn_linked_escaped_and_with_their_machine_number():
    # given a row with a saved unit, one without an id, a text to escape and a number
    columns = [Column("Đơn vị", Kind.UNIT), Column("Đơn vị", Kind.UNIT), Column("Ghi chú"),
               Column("2026", Kind.NUMBER)]  # fmt: skip
    values = [Unit(pk=42, name="Xã <Bờ Y>"), "Tổng", "a & b", Decimal("1240.50")]
    # when the row is drawn
    html = table_cells(zip(values, columns, strict=True), "analytics:dashboard", "year=2026&x=1")
    # then the unit links to its dashboard with the filters, and everything is escaped
    assert html == (
        '<td><a href="/analytics/dashboard/42/?year=2026&amp;x=1">Xã &lt;Bờ Y&gt;</a></td>'
        "<td>Tổng</td><td>a &amp; b</td>"
        '<td class="num" data-value="1240.5">1.240,5</td>'
    )
