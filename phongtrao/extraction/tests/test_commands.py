import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from phongtrao.extraction.tests.conftest import CORPUS

pytestmark = pytest.mark.django_db


def test_extract_json_prints_the_contract(tmp_path, capsys):
    # given
    path = tmp_path / "bao-cao.txt"
    path.write_text(
        "CÔNG AN TỈNH BÌNH ĐỊNH\nBÁO CÁO năm 2022\n"
        "Toàn tỉnh đã củng cố, duy trì 1.240 mô hình; kỷ niệm 77 năm.\n"
    )
    # when
    call_command("extract", str(path), "--json")
    # then
    assert json.loads(capsys.readouterr().out) == {
        "period": "2022",
        "unit": {"code": "52", "name": "Tỉnh Bình Định"},
        "values": [
            {"indicator": "SCHEMES_MAINTAINED", "value": 1240, "start": 53, "end": 83,
             "text": "củng cố, duy trì 1.240 mô hình"},
        ],
        "unmatched": [],
    }  # fmt: skip


def test_extract_prints_a_table_for_people(capsys):
    call_command("extract", str(CORPUS / "03-quang-ngai-2020-tong-ket.txt"))
    out = capsys.readouterr().out
    assert "Tỉnh Quảng Ngãi (51)" in out
    assert "EXPLOSIVES_SURRENDERED_KG" in out and "2,5" in out


def test_an_unreadable_file_exits_with_2_and_a_vietnamese_message(tmp_path):
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"not a pdf")
    with pytest.raises(CommandError) as error:
        call_command("extract", str(path))
    assert error.value.returncode == 2
    assert str(error.value).startswith("Không đọc được hong.pdf")
