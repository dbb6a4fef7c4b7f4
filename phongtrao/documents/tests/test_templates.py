import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from phongtrao.core.errors import AppError
from phongtrao.core.models import AuditEvent
from phongtrao.documents.docx import builtin_template
from phongtrao.documents.models import DocumentTemplate
from phongtrao.documents.services import (
    document_template_delete,
    document_template_upload,
    report_render,
)

pytestmark = pytest.mark.django_db


def _template(*lines: str) -> SimpleUploadedFile:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile("mau-tinh.docx", out.getvalue())


def test_a_template_with_an_unknown_field_is_refused_naming_it(quang_ngai):
    # given a template naming a field the report does not have
    upload = _template("Số công văn: {{ so_cong_van }}")
    # when
    with pytest.raises(AppError) as raised:
        document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    # then the message names the field, and nothing was saved
    assert "so_cong_van" in raised.value.message
    assert raised.value.message.startswith("Mẫu báo cáo dùng trường")
    assert DocumentTemplate.objects.count() == 0


def test_a_template_with_an_unknown_attribute_is_refused_naming_it(quang_ngai):
    upload = _template("{%p for s in sections %}", "{{ s.tieu_de }}", "{%p endfor %}")
    with pytest.raises(AppError) as raised:
        document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    assert "tieu_de" in raised.value.message


def test_a_file_that_is_not_a_docx_is_refused(quang_ngai):
    upload = SimpleUploadedFile("mau.docx", b"not a zip")
    with pytest.raises(AppError) as raised:
        document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    assert "Word" in raised.value.message


def test_the_province_template_writes_the_province_report_and_is_audited(
    quang_ngai, bo_y, festival_values
):
    # given the province's own template
    template = document_template_upload(
        actor=None, unit=quang_ngai, upload=_template("Mẫu riêng của tỉnh, năm {{ year }}")
    )
    # when a commune of the province writes its report
    rendered = report_render(unit=bo_y, year=2019, boundaries="current", today=date(2026, 9, 5))
    # then
    assert [p.text for p in Document(io.BytesIO(rendered.content)).paragraphs] == [
        "Mẫu riêng của tỉnh, năm 2019"
    ]
    events = AuditEvent.objects.filter(object_id=str(template.pk), object_repr__contains="mau-tinh")
    assert list(events.values_list("action", "unit_id")) == [("create", quang_ngai.pk)]


def test_the_built_in_template_stays_available(quang_ngai, bo_y, festival_values):
    # given a province template
    document_template_upload(actor=None, unit=quang_ngai, upload=_template("Mẫu riêng"))
    # when the built-in one is asked for
    rendered = report_render(unit=bo_y, year=2019, boundaries="current", use_builtin=True)
    # then
    assert Document(io.BytesIO(rendered.content)).paragraphs[0].text == "BÁO CÁO"


def test_deleting_the_template_goes_back_to_the_built_in_one(quang_ngai, bo_y):
    template = document_template_upload(actor=None, unit=quang_ngai, upload=_template("Mẫu"))
    document_template_delete(actor=None, template=template)
    rendered = report_render(unit=bo_y, year=2019, boundaries="current")
    assert Document(io.BytesIO(rendered.content)).paragraphs[0].text == "BÁO CÁO"


def test_the_built_in_template_can_be_uploaded_back_unchanged(quang_ngai):
    upload = SimpleUploadedFile("festival.docx", builtin_template().read_bytes())
    template = document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    assert template.original_name == "festival.docx"


REFUSED = (
    'Mẫu báo cáo dùng "%s", điều mà mẫu báo cáo không được phép dùng vì nó có thể chạm tới '
    "bên trong máy chủ. Hãy xoá nó trong Word rồi tải mẫu lên lại."
)
UNSAFE = (
    "Mẫu báo cáo truy cập một thuộc tính, hàm hoặc phương thức nằm ngoài các trường của báo "
    "cáo, điều mà mẫu báo cáo không được phép làm. Hãy xoá nó trong Word rồi tải mẫu lên lại."
)


@pytest.fixture
def marker(tmp_path_factory):
    """A file the payloads try to create: if it exists, the server ran their command."""
    return tmp_path_factory.mktemp("ssti") / "ran"


def test_the_payload_of_the_issue_is_refused_at_upload_and_nothing_is_stored(quang_ngai):
    # given the template of the issue, which ran `id` on the server
    upload = _template("{{ cycler.__init__.__globals__.os.popen('id').read() }}")
    events = AuditEvent.objects.count()
    # when a province administrator uploads it
    with pytest.raises(AppError) as raised:
        document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    # then it is refused naming what it reached, and nothing was stored or audited
    assert raised.value.message == REFUSED % ".__globals__"
    assert DocumentTemplate.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_a_stored_template_with_the_payload_is_refused_without_running_it(quang_ngai, bo_y, marker):
    # given the payload already in the database, stored before uploads were checked
    payload = _template(f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}")
    DocumentTemplate.objects.create(
        unit=quang_ngai, original_name="cu.docx", file=ContentFile(payload.read(), "cu.docx")
    )
    # when a commune of the province writes its report
    with pytest.raises(AppError) as raised:
        report_render(unit=bo_y, year=2019, boundaries="current")
    # then the rendering is refused and the command never ran
    assert raised.value.message == REFUSED % ".__globals__"
    assert not marker.exists()


# Known ways out of a Jinja template (server-side template injection), with what is named.
PAYLOADS = [
    ("{{ joiner.__init__.__globals__.os.popen('touch M').read() }}", ".__globals__"),
    ("{{ namespace.__init__.__globals__.os.popen('touch M').read() }}", ".__globals__"),
    ("{{ lipsum.__globals__['os'].popen('touch M').read() }}", ".__globals__"),
    ("{{ lipsum.__globals__.__builtins__.__import__('os').popen('touch M').read() }}",
     ".__import__"),
    ("{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('touch M')"
     ".read() }}", ".__globals__"),
    ("{{ cycler|attr('__init__')|attr('__globals__')|attr('__getitem__')('os')|attr('popen')"
     "('touch M')|attr('read')() }}", "|attr"),
    ("{% set x = namespace.__init__.__globals__ %}{{ x.os.popen('touch M').read() }}",
     ".__globals__"),
    ("{{ ''['__class__']['__mro__'][1]['__subclasses__']() }}", "['__subclasses__']"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", ".__subclasses__"),
    ("{{ '{0.__class__.__mro__}'.format(year) }}", ".format"),
    ("{{ cycler.mro() }}", ".mro"),
    ("{{ '%s' % year }}", "'…' % …"),
]  # fmt: skip


@pytest.mark.parametrize(("payload", "named"), PAYLOADS)
def test_known_template_injections_are_refused_at_upload(quang_ngai, marker, payload, named):
    # given a template trying one known way to the server's internals
    upload = _template(payload.replace("M", str(marker)))
    # when
    with pytest.raises(AppError) as raised:
        document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    # then
    assert raised.value.message == REFUSED % named
    assert DocumentTemplate.objects.count() == 0
    assert not marker.exists()


# Names built while the template runs, which no reading of the template can see.
BUILT_NAMES = [
    "{{ year['_' ~ '_cl' ~ 'ass_' ~ '_'] }}",
    "{{ ('{0._' ~ '_class_' ~ '_}')['for' ~ 'mat'](year) }}",
    "{{ year.real.conjugate() }}",
]


@pytest.mark.parametrize("payload", BUILT_NAMES)
def test_names_built_while_running_are_refused_by_the_sandbox(quang_ngai, payload):
    upload = _template(payload)
    with pytest.raises(AppError) as raised:
        document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    assert raised.value.message == UNSAFE
    assert DocumentTemplate.objects.count() == 0


def test_a_province_template_with_loops_filters_and_conditions_renders_as_before(
    quang_ngai, bo_y, festival_values
):
    # given a template using what report templates use: fields, loops, filters, conditions
    upload = _template(
        "{{ title|upper }} {{ year }}",
        "{%p for s in annex %}",
        "{{ loop.index }}. {{ s.name }}: {{ s.rows|length }} chỉ tiêu",
        "{%p endfor %}",
        "{%p if year > 2018 %}",
        "Sau {{ previous_year }}: {{ recipients|join('; ') }}",
        "{%p endif %}",
    )
    document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    # when
    rendered = report_render(unit=bo_y, year=2019, boundaries="current", today=date(2026, 9, 5))
    # then
    assert [p.text for p in Document(io.BytesIO(rendered.content)).paragraphs] == [
        "BÁO CÁO 2019",
        "1. Công tác chỉ đạo: 1 chỉ tiêu",
        "2. Tuyên truyền: 5 chỉ tiêu",
        "3. Tổ chức Ngày hội: 6 chỉ tiêu",
        "4. Giao ước thi đua và khen thưởng: 3 chỉ tiêu",
        "5. Xây dựng mô hình: 5 chỉ tiêu",
        "6. Kết quả vận động quần chúng: 8 chỉ tiêu",
        "7. Lực lượng và phong trào: 3 chỉ tiêu",
        '8. Đạt chuẩn "An toàn về ANTT": 3 chỉ tiêu',
        "Sau 2018: Công an tỉnh Quảng Ngãi (để báo cáo);; Cấp ủy, chính quyền xã Bờ Y;; Lưu: VT.",
    ]


def test_a_template_unpacking_to_gigabytes_of_xml_is_refused_before_it_is_parsed(
    quang_ngai, tmp_path
):
    # given a 50 KB DOCX whose body unpacks to 24 MB of empty paragraphs (gigabytes once parsed)
    from phongtrao.tests.uploads import huge_docx

    path = huge_docx(tmp_path / "mau.docx", paragraphs=4_000_000)
    upload = SimpleUploadedFile("mau-tinh.docx", path.read_bytes())
    events = AuditEvent.objects.count()
    # when a province administrator uploads it as the province's template
    with pytest.raises(AppError) as raised:
        document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    # then it is refused by the upload bounds, and nothing was stored or audited
    assert raised.value.message == (
        "Tệp giải nén ra nhiều hơn mức máy chủ nhận (tổng cộng 500 MB, 20 MB cho một phần được "
        "đọc trọn); hãy chia thành các tệp nhỏ hơn."
    )
    assert DocumentTemplate.objects.count() == 0
    assert AuditEvent.objects.count() == events
