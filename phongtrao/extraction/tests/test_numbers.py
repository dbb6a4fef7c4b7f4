from decimal import Decimal

from phongtrao.extraction.numbers import find_numbers, matching_text


def _values(text: str) -> list[Decimal]:
    return [n.value for n in find_numbers(matching_text(text))]


def test_dots_group_thousands_and_a_comma_marks_decimals():
    # given / when / then
    assert _values("1.240 mô hình, 1.234.567 đồng, 2,5 kg") == [
        Decimal(1240), Decimal(1234567), Decimal("2.5"),
    ]  # fmt: skip


def test_scale_words_multiply_and_combine():
    assert _values("gần 35 tỷ đồng và 1 tỷ 250 triệu đồng") == [
        Decimal(35_000_000_000), Decimal(1_250_000_000),
    ]  # fmt: skip


def test_a_qualifier_is_part_of_the_span_but_not_of_the_value():
    # given
    low = matching_text("thu hút hơn 300 lượt người")
    # when
    (number,) = find_numbers(low)
    # then
    assert (number.value, low[number.start : number.end]) == (Decimal(300), "hơn 300")


def test_numbers_written_as_words():
    assert _values("tám điểm, mười hai buổi, hai mươi lăm mô hình") == [
        Decimal(8), Decimal(12), Decimal(25),
    ]  # fmt: skip


def test_dates_references_percentages_and_years_are_not_counts():
    text = "Số: 12/BC-CAT ngày 19/8/2019, năm 2019, đạt 98,5%, lần thứ 14, 95 %"
    assert _values(text) == []


def test_old_tone_placement_matches_the_new_one_and_keeps_offsets():
    # given text from an old Word file
    text = "Tổ chức 3 buổi toạ đàm về hoà giải"
    # when
    low = matching_text(text)
    # then
    assert low == "tổ chức 3 buổi tọa đàm về hòa giải"
    assert len(low) == len(text)


def test_after_is_not_six():
    assert _values("Sau buổi tuyên truyền") == []
