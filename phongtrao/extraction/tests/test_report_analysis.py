import unicodedata
from decimal import Decimal

from phongtrao.extraction.reading import read_bytes
from phongtrao.extraction.report_analysis import analyse, bare_places, report_unit, report_year
from phongtrao.extraction.tests.conftest import corpus_text


def test_the_year_comes_from_the_title_not_the_anniversaries():
    text = (
        "CÔNG AN TỈNH BÌNH ĐỊNH\nBÁO CÁO\nKết quả Ngày hội năm 2019\n"
        "Kỷ niệm (19/8/2005 - 19/8/2019)"
    )
    assert report_year(text) == 2019


def test_the_year_comes_from_the_place_and_date_line_without_a_title_year():
    text = "CÔNG AN XÃ BỜ Y\nBờ Y, ngày 05 tháng 9 năm 2024\nBÁO CÁO KẾT QUẢ NGÀY HỘI"
    assert report_year(text) == 2024


def test_the_issuing_body_is_the_deepest_unit_of_the_header():
    text = "CÔNG AN HUYỆN NGỌC HỒI\nCÔNG AN THỊ TRẤN PLEI KẦN\nSố: 21/BC-CATT\n"
    unit, _ = report_unit(text)
    assert (unit.type, unit.key) == ("thị trấn", "plei kan")


def test_without_a_header_the_first_acting_body_is_the_unit():
    text = "Sáng 18/8, Công an tỉnh Bình Định phối hợp với UBND huyện Tuy Phước tổ chức Ngày hội."
    unit, named = report_unit(text)
    assert (unit.type, unit.key) == ("tỉnh", "binh dinh")
    assert [u.key for u in named] == ["binh dinh", "tuy phuoc"]


def test_figures_of_a_lower_unit_and_of_another_year_are_not_the_reports():
    # given a province report that quotes a district and the year before
    text = (
        "CÔNG AN TỈNH BÌNH ĐỊNH\nBÁO CÁO năm 2019\n"
        "Toàn tỉnh duy trì 1.240 mô hình. Riêng huyện Tuy Phước duy trì 120 mô hình. "
        "Tại huyện Tuy Phước, Ngày hội thu hút 5.000 lượt người. "
        "Năm 2018, toàn tỉnh duy trì 1.100 mô hình."
    )
    # when
    analysis = analyse(text)
    # then
    assert [(f.indicator, f.value) for f in analysis.values] == [("SCHEMES_MAINTAINED", 1240)]
    assert [f.value for f in analysis.unmatched] == [120, 5000, 1100]


def test_a_headline_rounding_gives_way_to_the_exact_figure():
    analysis = analyse(corpus_text("12-quang-ngai-2022-bai-bao-ngan"))
    events = [f.value for f in analysis.values if f.indicator == "FESTIVAL_EVENTS"]
    assert events == [Decimal(1124)]


def test_nfd_text_gives_the_same_figures_as_nfc():
    # given a report stored in NFD
    nfd = corpus_text("05-kon-tum-2019-nfd", raw=True)
    assert nfd != unicodedata.normalize("NFC", nfd)  # stored in NFD
    text = read_bytes(nfd.encode(), "report.txt")
    # when
    analysis = analyse(text)
    # then
    assert analysis.year == 2019
    assert ("REINTEGRATION_PERSONS", 96) in [(f.indicator, f.value) for f in analysis.values]
    assert len(analysis.values) == 10


def _values(text: str) -> list[tuple[str | None, Decimal]]:
    return [(f.indicator, f.value) for f in analyse(text).values]


def test_trong_do_after_a_sentence_without_a_figure_introduces_the_figures():
    # given a sentence with no figure of its own (only a year), then "Trong đó," with figures
    text = (
        "Năm 2022, công tác xây dựng mô hình tự quản tiếp tục được chú trọng. "
        "Trong đó, củng cố, duy trì 940 mô hình, nhân rộng 37 mô hình, xây dựng mới 26 mô hình."
    )
    # when the report is read, then the figures are the report's own, not parts of a total
    assert _values(text) == [
        ("SCHEMES_MAINTAINED", 940), ("SCHEMES_REPLICATED", 37), ("SCHEMES_NEW", 26),
    ]  # fmt: skip


def test_trong_do_after_a_sentence_with_a_figure_gives_its_parts():
    # given a total, then "Trong đó," with its breakdown
    text = (
        "Toàn huyện duy trì 310 mô hình tự quản. "
        "Trong đó, duy trì 45 mô hình tự quản về ANTT ở khu dân cư."
    )
    # when read, then only the total is taken
    assert _values(text) == [("SCHEMES_MAINTAINED", 310)]


def test_a_figure_after_trong_do_in_the_sentence_is_a_part_of_the_same_indicator():
    # given information from the public and, after "trong đó", the part of it that was valuable
    text = "Quần chúng đã cung cấp 854 thông tin, trong đó có 301 tin có giá trị."
    # when read, then only the 854 is a value; the 301 is left unmatched
    analysis = analyse(text)
    assert [(f.indicator, f.value) for f in analysis.values] == [("TIPS_RECEIVED", 854)]
    assert [f.value for f in analysis.unmatched] == [301]


def test_commendation_verb_before_the_issuer_and_the_list():
    # given "trao giấy khen" with the issuer between the verb and the list
    text = "Dịp này, Ban tổ chức trao giấy khen của Ban Chỉ đạo cho 14 tập thể, 23 cá nhân."
    # then both counts are taken
    assert _values(text) == [("AWARDED_COLLECTIVES", 14), ("AWARDED_INDIVIDUALS", 23)]


def test_commendation_verb_after_the_list():
    # given the award named after the list of those receiving it
    text = "Tại buổi lễ, có 6 tập thể và 9 cá nhân được nhận giấy khen vì thành tích xuất sắc."
    assert _values(text) == [("AWARDED_COLLECTIVES", 6), ("AWARDED_INDIVIDUALS", 9)]


def test_collectives_and_individuals_counted_together_are_neither():
    # given one number for collectives and individuals together
    text = "Khen thưởng 27 tập thể, cá nhân có thành tích trong phong trào."
    # then neither indicator is given
    analysis = analyse(text)
    assert analysis.values == []
    assert [f.value for f in analysis.unmatched] == [27]


def test_tips_from_the_public():
    # given three ways reports count the information people give to the police
    text = (
        "Qua vận động, nhân dân đã cung cấp hơn 340 thông tin về tội phạm. "
        "Năm 2023, lực lượng Công an thu được 1.250 tin có giá trị. "
        "Người dân cung cấp cho Công an xã 76 tin liên quan đến an ninh trật tự."
    )
    assert _values(text) == [
        ("TIPS_RECEIVED", 340), ("TIPS_RECEIVED", 1250), ("TIPS_RECEIVED", 76),
    ]  # fmt: skip


def test_news_and_other_tin_are_not_tips():
    # given "tin" that is not information from the public
    text = "Đăng tải 58 tin, bài trên cổng thông tin. Nhận được 12 tin nhắn."
    assert _values(text) == [("NEWS_ITEMS", 58)]


def test_figures_over_several_years_are_not_the_reports_nor_their_headline():
    # given a headline repeating a figure the body gives for eight years of a movement
    text = (
        "Nhân rộng được 1.480 mô hình\n"
        "Năm 2021, qua 8 năm thực hiện phong trào, toàn tỉnh đã nhân rộng được 1.480 mô hình. "
        "Năm 2021, nhân rộng 96 mô hình."
    )
    # when read, then neither the body's nor the headline's 1.480 is a value of the year
    assert _values(text) == [("SCHEMES_REPLICATED", 96)]
    assert 1480 in [f.value for f in analyse(text).unmatched]


def test_a_body_sentence_giving_the_same_number_as_a_multi_year_figure_is_kept():
    # given a report whose body, well below its title and lead, gives a ten-year figure and, in
    # another full sentence, this year's figure that happens to be the same number
    text = (
        "Báo cáo tổng kết năm 2024\n"
        + "\n" * 12
        + (
            "Qua 10 năm thực hiện phong trào, toàn tỉnh đã xây dựng mới 120 mô hình.\n"
            "Trong năm 2024, toàn tỉnh xây dựng mới 120 mô hình.\n"
        )
    )
    # when read, then only the ten-year figure is left out: this year's sentence is no headline
    assert _values(text) == [("SCHEMES_NEW", 120)]


def test_figures_of_a_see_also_teaser_are_not_the_reports():
    # given a "Xem thêm" line about another article after the report's own figure
    text = (
        "Năm 2024, nhân dân tự nguyện giao nộp 57 khẩu súng.\n"
        ">>> Xem thêm: Người dân xã bên giao nộp 04 khẩu súng tự chế\n"
    )
    assert _values(text) == [("WEAPONS_SURRENDERED", 57)]


def test_a_place_before_a_semicolon_does_not_take_the_next_clause():
    # given a province report whose sentence names a commune, then a semicolon and a new clause
    text = (
        "CÔNG AN TỈNH BÌNH ĐỊNH\nBÁO CÁO năm 2020\n"
        "Ra mắt mô hình “Camera an ninh” tại xã Phước Lộc; củng cố, duy trì hoạt động của "
        "212 mô hình tự quản."
    )
    assert _values(text) == [("SCHEMES_MAINTAINED", 212)]


def test_a_place_in_the_same_clause_still_keeps_the_figure_out():
    # given a commune named in the clause of the figure (no semicolon)
    text = "CÔNG AN TỈNH BÌNH ĐỊNH\nBÁO CÁO năm 2020\nTại xã Phước Lộc, duy trì 14 mô hình."
    assert _values(text) == []


def test_models_and_exemplars_in_the_dan_van_kheo_movement():
    # given models and exemplars counted in the "Dân vận khéo" movement
    text = "Xây dựng, duy trì 23 mô hình và 05 điển hình trong phong trào “Dân vận khéo”."
    # then the models are SCHEMES_DAN_VAN_KHEO, not maintained models
    assert _values(text) == [("SCHEMES_DAN_VAN_KHEO", 23)]


def test_a_persons_name_after_the_unit_is_not_part_of_it():
    # given the acting body followed by its chairman's name, and the province named alone later
    text = (
        "Phó Chủ tịch UBND tỉnh Tây Ninh Lê Hoàng Nam dự lễ ra mắt. "
        "Toàn tỉnh Tây Ninh thành lập 412 Tổ bảo vệ an ninh, trật tự."
    )
    unit, _named = report_unit(text)
    assert (unit.type, unit.name) == ("tỉnh", "Tây Ninh")
    # and the figure of the sentence naming the province is the report's
    assert _values(text) == [("SECURITY_TEAMS", 412)]


def test_a_city_after_a_dash_is_not_part_of_the_wards_name():
    # given a ward followed by its city after a dash, then named alone
    text = (
        "Sáng 15/8, tại UBND phường Bến Thành - TP.HCM diễn ra Ngày hội. "
        "UBND phường Bến Thành trao giấy khen cho 7 tập thể."
    )
    unit, _named = report_unit(text)
    assert (unit.type, unit.name) == ("phường", "Bến Thành")
    assert _values(text) == [("AWARDED_COLLECTIVES", 7)]


def test_a_different_unit_sharing_the_first_word_is_still_another_unit():
    # given a province report naming a district whose name only starts alike
    text = "CÔNG AN TỈNH BÌNH ĐỊNH\nBÁO CÁO năm 2020\nHuyện Bình Định Mới duy trì 14 mô hình."
    # then "Bình Định Mới" is a district (another level), so the figure is not the province's
    assert _values(text) == []


def test_the_year_comes_from_a_dateline_with_a_weekday():
    # given an article whose first lines give "từ năm 2015 đến nay" and a weekday dateline
    text = (
        "Xây dựng mô hình tự quản từ năm 2015 đến nay\n"
        "CHỦ NHẬT, 07/11/2021 08:15:02\n"
        "Sau 6 năm, toàn tỉnh có 90 mô hình, tăng 50 mô hình so với 2015."
    )
    # then the year is the dateline's, not the span's start nor the most named
    assert report_year(text) == 2021


def test_the_year_comes_from_an_iso_date():
    # given a page whose only year is an ISO date at the top
    assert report_year("date 2023-04-12 Tin tức\nSáng 11/4, xã tổ chức Ngày hội.") == 2023
    assert report_year("date 2022-09 Sáng 1-9, huyện ra mắt tổ bảo vệ.") == 2022


def test_a_span_of_years_is_not_an_iso_date():
    # given a title with a span of years and no other year
    text = "Kết quả giai đoạn 2016-2020\nToàn tỉnh duy trì 300 mô hình trong năm 2020."
    assert report_year(text) == 2020


def test_a_caption_repeating_a_neighbours_figure_is_not_the_reports():
    # given a province report quoting the neighbouring province, then a photo caption
    text = (
        "CÔNG AN TỈNH BÌNH ĐỊNH\nBÁO CÁO năm 2024\n"
        "Toàn tỉnh thành lập 520 Tổ bảo vệ an ninh, trật tự. "
        "Cùng ngày, UBND tỉnh Phú Yên ra mắt 288 Tổ bảo vệ an ninh, trật tự.\n"
        "288 Tổ bảo vệ an ninh, trật tự tại Phú Yên ra mắt. Ảnh: T.L\n"
    )
    # then neither the sentence's nor the caption's 288 is the report's
    assert _values(text) == [("SECURITY_TEAMS", 520)]


def test_a_sub_units_figure_does_not_hide_the_same_number_of_the_report():
    # given a district figure equal to the province's own figure for another line
    text = (
        "CÔNG AN TỈNH BÌNH ĐỊNH\nBÁO CÁO năm 2024\n"
        "Tại huyện Tuy Phước, duy trì 60 mô hình.\nToàn tỉnh duy trì 60 mô hình."
    )
    assert _values(text) == [("SCHEMES_MAINTAINED", 60)]


def test_a_national_conference_gives_national_figures():
    # given the Ministry's conference in the lead, then figures of "công an các đơn vị, địa
    # phương" (the whole country), then a paragraph of one province
    text = (
        "Tổng kết Ngày hội năm 2023\n"
        "Sáng 20/11, Bộ Công an tổ chức Hội nghị trực tuyến tổng kết Ngày hội năm 2023.\n"
        "Năm qua, công an các đơn vị, địa phương đã tuyên truyền cho hơn 9.000.000 lượt người.\n"
        "Tại Quảng Ngãi, Ngày hội đã thu hút 45.000 lượt người tham dự.\n"
    )
    # then only the figure of the paragraph naming its place is a unit's
    assert _values(text) == [("FESTIVAL_PARTICIPANTS", 45000)]
    assert 9_000_000 in [f.value for f in analyse(text).unmatched]


def test_a_provincial_text_about_a_national_conference_keeps_its_own_figures():
    # given a province attending the national conference, then its figures
    text = (
        "Công an tỉnh Quảng Ngãi dự Hội nghị trực tuyến toàn quốc tổng kết Ngày hội năm 2023.\n"
        "Năm 2023, toàn tỉnh đã tổ chức 1.050 điểm Ngày hội.\n"
    )
    assert _values(text) == [("FESTIVAL_EVENTS", 1050)]


def test_the_whole_country_in_a_provincial_lead_is_no_national_text():
    # given "trên toàn quốc" in the lead of a province's article
    text = (
        "Hưởng ứng Ngày hội được tổ chức trên toàn quốc, tỉnh đẩy mạnh phong trào năm 2023.\n"
        "Năm qua, đã tổ chức 1.050 điểm Ngày hội.\n"
    )
    assert _values(text) == [("FESTIVAL_EVENTS", 1050)]


def test_a_place_named_in_passing_is_not_the_unit_of_a_text_speaking_for_its_province():
    # given the province's police speaking ("Công an tỉnh", "toàn tỉnh") without naming the
    # province, and models named in two districts
    text = (
        "Theo báo cáo của Công an tỉnh, năm 2019 toàn tỉnh đã nhân rộng 40 mô hình như "
        "“Camera an ninh” tại thành phố Quy Nhơn và “Tổ tự quản” tại huyện Tuy Phước."
    )
    # then the unit is no district: it is left to the places named (selectors)
    analysis = analyse(text)
    assert analysis.unit is None
    assert analysis.speaks_for == "tỉnh"
    assert [u.key for u in analysis.named_units] == ["quy nhon", "tuy phuoc"]


def test_a_text_speaking_for_its_province_takes_the_province_it_names():
    # given a province named once, after districts named first
    text = (
        "Năm 2019, toàn tỉnh nhân rộng 40 mô hình tại huyện Tuy Phước, huyện Phù Cát. "
        "Công an tỉnh đề nghị UBND tỉnh Bình Định khen thưởng."
    )
    unit, _named = report_unit(text)
    assert (unit.type, unit.name) == ("tỉnh", "Bình Định")


def test_the_unit_named_most_is_the_unit_of_a_text_without_a_body():
    # given a commune named first, in passing, and the subject's ward named twice
    text = (
        "Sáng 15/8, đoàn xã Nghĩa Hà dự Ngày hội của phường Nghĩa Lộ. "
        "Phường Nghĩa Lộ trao 20 suất quà."
    )
    unit, _named = report_unit(text)
    assert unit.key == "nghia lo"


def test_a_unit_name_ends_where_the_next_name_begins():
    # given two districts joined by "và"
    unit, named = report_unit("Mô hình tại huyện Tuy Phước và huyện Hoài Nhơn được nhân rộng.")
    assert [u.key for u in named] == ["tuy phuoc", "hoai nhon"]


def test_places_named_without_their_type():
    # given a place after "Tại" and a list of districts after "gồm"
    text = (
        "Tại Quảng Ngãi, Ngày hội diễn ra sôi nổi. Có 3 địa phương xếp loại xuất sắc (gồm "
        "Sơn Tịnh, Tư Nghĩa và Mộ Đức), 1 địa phương loại khá là Đức Phổ; ở cơ quan Nhà nước …"
    )
    # then the places are read, in order, and capitalised words of one are not a place
    assert bare_places(text) == ["Quảng Ngãi", "Sơn Tịnh", "Tư Nghĩa", "Mộ Đức", "Đức Phổ"]
