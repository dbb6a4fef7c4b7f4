"""Templates that ask for unbounded work stop at once with a message instead of holding a worker
(and its memory) for ever: each of these ran for minutes or filled memory before the sandbox."""

import io

import pytest
from docx import Document

from phongtrao.core.errors import AppError
from phongtrao.documents.docx import docx_render

TOO_MUCH = (
    "Mẫu báo cáo đòi quá nhiều công việc (vòng lặp, lời gọi hoặc đoạn chữ dài hơn nhiều so với "
    "một báo cáo cần). Hãy rút ngắn chúng trong Word rồi tải mẫu lên lại."
)


def _docx(*lines: str) -> io.BytesIO:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    out.seek(0)
    return out


BOMBS = {
    "a range of a billion": "{% for i in range(10**9) %}{{ i }}{% endfor %}",
    "two nested loops": (
        "{% for a in range(10000) %}{% for b in range(10000) %}x{% endfor %}{% endfor %}"
    ),
    "a text doubled line after line": (
        "{% set s = 'xxxxxxxxxx' %}" + "{% set s = s ~ s %}" * 40 + "{{ s|length }}"
    ),
    "a list doubled line after line": "{% set s = [1] %}" + "{% set s = s + s %}" * 40,
    "a text multiplied": "{{ 'x' * 10**9 }}",
    "a huge number": "{{ 10**(10**10) }}",
    "a long text written many times": (
        "{% set s = 'x' * 100000 %}{% for i in range(10000) %}{{ s }}{% endfor %}"
    ),
    "a macro calling itself": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
}


@pytest.mark.parametrize("source", BOMBS.values(), ids=BOMBS.keys())
def test_a_template_asking_for_unbounded_work_is_stopped(source):
    # given a template whose loops or texts have no reasonable end
    template = _docx(source)
    # when it is rendered
    with pytest.raises(AppError) as raised:
        docx_render(context={"year": 2019}, template=template)
    # then it stops with the message, within the test's time
    assert raised.value.message == TOO_MUCH


def test_loops_of_reasonable_size_still_render():
    # given a table of a thousand numbered rows, more than any report has
    template = _docx("{% for i in range(1000) %}{{ i }},{% endfor %}")
    # when
    content = docx_render(context={}, template=template)
    # then
    text = Document(io.BytesIO(content)).paragraphs[0].text
    assert text == "".join(f"{i}," for i in range(1000))
