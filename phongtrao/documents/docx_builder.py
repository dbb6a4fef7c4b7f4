"""Builds the built-in DOCX template (docx_templates/festival.docx) with python-docx.

One template serves every kind of report (documents/kinds.py): titles and wording are fields.

The template holds the layout of Nghị định 30/2020/NĐ-CP and docxtpl tags for the fields of
`context.py`. It is built by code so its layout is reviewed like code, and shipped in the
repository so an administrator can download it, edit it in Word and upload it back.
Rebuild it after a change: `.venv/bin/python -m phongtrao.documents.docx_builder`.
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, Twips

BUILTIN_TEMPLATE = Path(__file__).resolve().parent / "docx_templates" / "festival.docx"
FONT = "Times New Roman"
BODY_SIZE = Pt(14)
# A4 in Word's own twips, and the margins of Nghị định 30/2020 (top/bottom 20-25 mm,
# left 30-35 mm, right 15-20 mm), rounded to twips as Word stores them.
PAGE_WIDTH = Twips(11906)
PAGE_HEIGHT = Twips(16838)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}


def margin(mm: int) -> Twips:
    return Twips(round(Mm(mm) / 635))


def _fonts(element, size=None) -> None:
    """Name the font for every script, or Word falls back to another for Vietnamese."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tbl_pr.append(borders)


PARAGRAPH_AFTER = Pt(6)


def _para(container, text="", *, bold=False, italic=False, size=None, align=None, indent=True,
          space_after=PARAGRAPH_AFTER):  # fmt: skip
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = size
    fmt = paragraph.paragraph_format
    fmt.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(1.27) if indent and align is None else None
    fmt.space_after = space_after
    fmt.space_before = Pt(0)
    return paragraph


def _centered(cell, text, **kwargs):
    return _para(cell, text, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=Pt(0), **kwargs)


def _page_number(paragraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", margin(mm))
    section.header_distance = section.footer_distance = margin(10)
    # Page numbers from page 2: the first page has a header of its own, left empty.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(header)
    for style_name in ("Normal", "Table Grid"):
        style = document.styles[style_name]
        style.font.name = FONT
        _fonts(style.element)
    document.styles["Normal"].font.size = BODY_SIZE


def _header_block(document) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.3), Cm(10.2)
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    _centered(left, "{{ superior }}", size=Pt(13))
    _centered(left, "{{ issuer }}", bold=True, size=Pt(13))
    _centered(left, "{{ number_line }}", size=Pt(13)).paragraph_format.space_before = Pt(6)
    _centered(right, "{{ nation }}", bold=True, size=Pt(13))
    _centered(right, "{{ motto }}", bold=True, size=Pt(14))
    date = _centered(right, "{{ place_date }}", italic=True, size=Pt(14))
    date.paragraph_format.space_before = Pt(6)


def _body(document) -> None:
    title = _para(document, "{{ title }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                  space_after=Pt(0))  # fmt: skip
    title.paragraph_format.space_before = Pt(18)
    _para(document, "{{ subtitle }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
          space_after=Pt(12))  # fmt: skip
    _para(document, "{%p for line in intro %}")
    _para(document, "{{ line }}")
    _para(document, "{%p endfor %}")
    _para(document, "{{ part_results }}", bold=True)
    _para(document, "{%p for section in sections %}")
    _para(document, "{{ section.heading }}", bold=True)
    _para(document, "{%p for line in section.paragraphs %}")
    _para(document, "{{ line }}")
    _para(document, "{%p endfor %}")
    _para(document, "{%p endfor %}")
    _para(document, "{{ part_assessment }}", bold=True)
    _para(document, "{%p for line in assessment %}")
    _para(document, "{{ line }}")
    _para(document, "{%p endfor %}")
    _para(document, "{{ part_tasks }}", bold=True)
    _para(document, "{{ tasks }}")


def _signature(document) -> None:
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8.0), Cm(8.5)
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    small = Pt(12)
    label = _para(left, "{{ recipients_label }}", bold=True, italic=True, size=small,
                  align=WD_ALIGN_PARAGRAPH.LEFT, space_after=Pt(0))  # fmt: skip
    label.paragraph_format.space_before = Pt(12)
    _para(left, "{%p for item in recipients %}", align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(left, "- {{ item }}", size=Pt(11), align=WD_ALIGN_PARAGRAPH.LEFT, space_after=Pt(0))
    _para(left, "{%p endfor %}", align=WD_ALIGN_PARAGRAPH.LEFT)
    signer = _centered(right, "{{ signer_title }}", bold=True)
    signer.paragraph_format.space_before = Pt(12)
    for _ in range(4):
        _centered(right, "")
    _centered(right, "{{ signer_name }}", bold=True)


def _annex(document) -> None:
    paragraph = _para(document, "", align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    _para(document, "{{ annex_title }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
          space_after=Pt(0))  # fmt: skip
    _para(document, "{{ annex_subtitle }}", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER,
          space_after=Pt(0))  # fmt: skip
    # Which data the figures are, and how many of the units that must report they cover.
    _para(document, "{{ data_note }}", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    headings = ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm {{ year }}", "Năm {{ previous_year }}",
                "Tăng (+), giảm (-)"]  # fmt: skip
    widths = [Cm(1.1), Cm(6.9), Cm(2.2), Cm(2.2), Cm(2.2), Cm(2.0)]
    table = document.add_table(rows=7, cols=len(headings))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    rows = table.rows
    for cell, text in zip(rows[0].cells, headings, strict=True):
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(12)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    rows[1].cells[0].text = "{%tr for s in annex %}"
    rows[2].cells[1].text = "{{ s.name }}"
    rows[2].cells[1].paragraphs[0].runs[0].bold = True
    rows[3].cells[0].text = "{%tr for r in s.rows %}"
    values = ["{{ r.number }}", "{{ r.name }}", "{{ r.unit }}", "{{ r.value }}",
              "{{ r.previous }}", "{{ r.difference }}"]  # fmt: skip
    aligns = [WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER]
    aligns += [WD_ALIGN_PARAGRAPH.RIGHT] * 3
    for cell, text, align in zip(rows[4].cells, values, aligns, strict=True):
        cell.text = text
        cell.paragraphs[0].alignment = align
    rows[5].cells[0].text = "{%tr endfor %}"
    rows[6].cells[0].text = "{%tr endfor %}"
    for row in rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(12)


def builtin_template_build(path: Path = BUILTIN_TEMPLATE) -> Path:
    document = Document()
    _setup(document)
    _header_block(document)
    _body(document)
    _signature(document)
    _annex(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(builtin_template_build())
