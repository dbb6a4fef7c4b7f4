import re
from decimal import Decimal

from phongtrao.extraction.figures import _Boundaries, find_figures


def _found(text: str) -> list[tuple[str | None, Decimal]]:
    return [(f.indicator, f.value) for f in find_figures(text)]


def test_one_verb_governs_its_own_number_in_a_list():
    text = "củng cố, duy trì 1.240 mô hình, nhân rộng 85 mô hình, xây dựng mới 61 mô hình."
    assert _found(text) == [
        ("SCHEMES_MAINTAINED", 1240), ("SCHEMES_REPLICATED", 85), ("SCHEMES_NEW", 61),
    ]  # fmt: skip


def test_a_verb_governs_every_item_of_its_list():
    assert _found("khen thưởng 45 tập thể, 120 cá nhân có thành tích.") == [
        ("AWARDED_COLLECTIVES", 45), ("AWARDED_INDIVIDUALS", 120),
    ]  # fmt: skip


def test_the_text_of_a_figure_starts_at_its_verb():
    (figure,) = find_figures("Toàn tỉnh đã củng cố, duy trì 1.240 mô hình.")
    assert figure.text == "củng cố, duy trì 1.240 mô hình"
    assert (figure.start, figure.end) == (13, 43)


def test_lượt_người_follows_the_sentence_subject():
    text = (
        "Tổ chức 2.150 điểm Ngày hội, thu hút hơn 350.000 lượt người tham dự. "
        "Tổ chức 3.200 buổi tuyên truyền cho 410.000 lượt người."
    )
    assert _found(text) == [
        ("FESTIVAL_EVENTS", 2150), ("FESTIVAL_PARTICIPANTS", 350000),
        ("OUTREACH_SESSIONS", 3200), ("OUTREACH_AUDIENCE", 410000),
    ]  # fmt: skip


def test_a_quoted_name_after_the_noun_wins_over_the_verb():
    text = "xây dựng mới 64 mô hình, trong đó có 12 mô hình “Dân vận khéo”."
    assert _found(text) == [("SCHEMES_NEW", 64), ("SCHEMES_DAN_VAN_KHEO", 12)]


def test_a_cue_too_far_away_gives_no_indicator():
    text = "Công tác xây dựng, nhân rộng mô hình được quan tâm; hiện có 1.050 mô hình tự quản."
    assert _found(text) == [(None, 1050)]


def test_differences_and_targets_are_not_results():
    text = (
        "Duy trì 900 mô hình (tăng 35 mô hình so với năm trước). Phấn đấu xây dựng mới 50 mô hình."
    )
    assert _found(text) == [("SCHEMES_MAINTAINED", 900), (None, 35), (None, 50)]


def test_anniversaries_are_not_listed_at_all():
    assert _found("Kỷ niệm 74 năm Ngày truyền thống và 14 năm Ngày hội") == []


def test_a_single_one_written_as_a_word_is_an_article():
    assert _found("Tham dự một buổi tuyên truyền tại thôn") == []


def test_a_table_row_names_the_indicator_in_its_label():
    text = (
        "1 | Số mô hình được củng cố, duy trì | 1.240\n"
        "2 | Khối lượng vật liệu nổ được giao nộp (kg) | 15,5\n"
    )
    assert _found(text) == [
        ("SCHEMES_MAINTAINED", 1240),
        ("EXPLOSIVES_SURRENDERED_KG", Decimal("15.5")),
    ]


def test_money_needs_a_gift_cue():
    text = "Trao 1.500 suất quà trị giá gần 35 tỷ đồng. Mỗi tập thể được thưởng 1.490.000 đồng."
    assert _found(text) == [(None, 1500), ("FESTIVAL_GIFTS_VND", 35_000_000_000), (None, 1490000)]


def test_one_verb_governs_a_long_list_with_items_no_indicator_counts():
    # given one "giao nộp" over guns, grenades, parts, explosives and bullets
    text = (
        "Người dân đã giao nộp 61 khẩu súng các loại, 7 quả lựu đạn, 12 linh kiện súng, "
        "3,5 kg thuốc nổ và 840 viên đạn."
    )
    # then every counted item gets its indicator; grenades and parts are left unmatched
    assert _found(text) == [
        ("WEAPONS_SURRENDERED", 61), (None, 7), (None, 12),
        ("EXPLOSIVES_SURRENDERED_KG", Decimal("3.5")), ("AMMUNITION_SURRENDERED", 840),
    ]  # fmt: skip


def test_festival_attendance_of_officials_people_and_armed_forces():
    # given a festival attended by officials, people and the armed forces
    text = (
        "Sáng 12/8, xã tổ chức Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2024, thu hút "
        "gần 350 cán bộ, nhân dân và lực lượng vũ trang tham dự."
    )
    assert _found(text) == [("FESTIVAL_PARTICIPANTS", 350)]


def test_officials_and_people_without_a_festival_are_not_festival_participants():
    # given the same words at a meeting that is not the festival
    text = "Hội nghị sơ kết thu hút 120 cán bộ, nhân dân tham dự."
    assert _found(text) == [(None, 120)]


def test_sessions_and_the_people_who_came_to_listen():
    # given sessions named only by "cuộc", then the people who came to listen
    text = "Các ngành phối hợp tổ chức 215 cuộc, thu hút hơn 9.400 người dân đến nghe."
    assert _found(text) == [("OUTREACH_SESSIONS", 215), ("OUTREACH_AUDIENCE", 9400)]


def test_meetings_without_listeners_are_not_outreach():
    # given "cuộc" and people that do not come to listen
    text = "Tổ chức 12 cuộc họp với 300 người dân tham gia."
    assert _found(text) == [(None, 12), (None, 300)]


def test_a_fraction_gives_the_part_and_semicolons_separate_a_long_list():
    # given parts out of wholes, separated by semicolons, before one "đạt tiêu chuẩn về ANTT"
    text = (
        "Đến nay, toàn tỉnh có 812/940 khu dân cư; 97 xã, phường, thị trấn; "
        "405/433 cơ quan, doanh nghiệp đạt tiêu chuẩn về ANTT."
    )
    assert _found(text) == [
        ("SAFE_RESIDENTIAL_AREAS", 812), ("SAFE_COMMUNES", 97), ("SAFE_ORGANIZATIONS", 405),
    ]  # fmt: skip


def test_a_festival_held_in_every_residential_area():
    # given a festival held "tại 12/12 khu dân cư"
    text = (
        "Xã đã tổ chức “Ngày hội toàn dân bảo vệ an ninh Tổ quốc” năm 2023, tại 12/12 khu dân cư."
    )
    assert _found(text) == [("FESTIVAL_EVENTS", 12)]


def test_dates_written_like_fractions_are_not_figures():
    # given dates with a day and a month, before words
    text = "Sáng 16/8 tại hội trường xã, đến ngày 20/8 tổ chức 3 buổi tuyên truyền."
    assert _found(text) == [("OUTREACH_SESSIONS", 3)]


def test_a_fraction_whose_first_number_is_larger_is_not_a_part():
    assert _found("Tổng kết đợt 25/12 khu dân cư đạt chuẩn an toàn về ANTT.") == []


def test_recognised_as_safe_after_a_list_with_parts_no_indicator_counts():
    # given residential areas listed with enterprises, offices and schools, then the recognition
    text = (
        "Năm 2022, toàn huyện có 214 khu dân cư, 18 doanh nghiệp, 40 cơ quan và 35 cơ sở "
        "giáo dục được công nhận đạt chuẩn “An toàn về an ninh, trật tự”."
    )
    # then the residential areas are taken; the other parts are not a count of any indicator
    assert _found(text) == [
        ("SAFE_RESIDENTIAL_AREAS", 214), (None, 18), (None, 40), (None, 35),
    ]  # fmt: skip


def test_members_of_security_teams_counted_after_the_teams():
    # given the teams named first, then "N tổ với tổng số M thành viên"
    text = (
        "Hiện nay, Tổ bảo vệ an ninh, trật tự ở các thôn, tổ dân phố trong huyện là "
        "1.210 tổ với tổng số 3.645 thành viên."
    )
    assert ("SECURITY_TEAM_MEMBERS", 3645) in _found(text)


def test_members_of_other_groups_are_not_security_team_members():
    # given a group that is not a security team
    assert _found("Thành lập 85 tổ tự quản với tổng số 512 thành viên.") == [
        (None, 85),
        (None, 512),
    ]


def test_a_list_item_no_phrase_knows_is_still_an_item_of_the_verbs_list():
    # given one verb over guns, scopes, swords and bullets: nouns no indicator counts
    text = "Nhân dân đã giao nộp 28 khẩu súng, 6 ống ngắm quang học, 4 thanh kiếm và 312 viên đạn."
    # then the verb still governs the bullets after them; the other items are left unmatched
    assert _found(text) == [
        ("WEAPONS_SURRENDERED", 28), (None, 6), (None, 4), ("AMMUNITION_SURRENDERED", 312),
    ]  # fmt: skip


def test_an_item_that_runs_into_a_clause_ends_the_list():
    # given words after a number that are no name of a thing (a preposition, a long phrase)
    text = "Người dân giao nộp 5 khẩu súng, 2 bộ quần áo rằn ri cũ của lính và 40 viên đạn."
    # then the verb is not taken over the bullets: unsure, so unmatched
    assert _found(text) == [("WEAPONS_SURRENDERED", 5), (None, 2), (None, 40)]


def test_a_qualifier_after_a_list_reaches_back_over_items_no_phrase_knows():
    # given residential areas listed with health stations and markets before the recognition
    text = (
        "Năm 2023, toàn huyện có 96 khu dân cư, 12 trạm y tế và 7 chợ được công nhận đạt chuẩn "
        "“An toàn về an ninh, trật tự”."
    )
    assert _found(text) == [("SAFE_RESIDENTIAL_AREAS", 96), (None, 12), (None, 7)]


def test_a_negation_in_the_last_item_keeps_the_qualifier_from_the_list():
    # given the last item followed by "không đạt chuẩn": those did not reach the standard
    text = "Toàn xã có 14 khu dân cư, 3 hộ kinh doanh không đạt chuẩn an toàn về ANTT."
    assert _found(text) == [(None, 14), (None, 3)]


def test_a_head_noun_repeats_the_full_noun_named_before_it():
    # given the full name of the teams, then "N tổ" and their members
    text = (
        "Theo quyết định, số lượng Tổ bảo vệ an ninh, trật tự trên địa bàn huyện là 215 tổ "
        "với tổng số 645 thành viên."
    )
    assert _found(text) == [("SECURITY_TEAMS", 215), ("SECURITY_TEAM_MEMBERS", 645)]


def test_a_head_noun_followed_by_other_words_is_another_group():
    # given security teams named, then "30 tổ tự quản": another kind of team
    text = "Tổ bảo vệ an ninh, trật tự phối hợp với 30 tổ tự quản tuần tra ban đêm."
    assert _found(text) == [(None, 30)]


def test_a_head_noun_without_the_full_noun_before_it_counts_nothing():
    assert _found("Xã thành lập 12 tổ với 40 thành viên.") == [(None, 12), (None, 40)]


def test_members_follow_the_teams_just_counted():
    # given the teams counted, then "với M thành viên" after a comma
    text = "Toàn tỉnh ra mắt 1.020 Tổ bảo vệ an ninh, trật tự, với 3.180 thành viên."
    assert _found(text) == [("SECURITY_TEAMS", 1020), ("SECURITY_TEAM_MEMBERS", 3180)]


def test_people_after_another_count_are_not_the_teams_members():
    # given the villages counted between the teams and the people
    text = "Ra mắt 1.020 Tổ bảo vệ an ninh, trật tự tại 1.020 thôn với 3.180 người."
    assert _found(text) == [("SECURITY_TEAMS", 1020), (None, 1020), (None, 3180)]


def test_people_put_under_management_in_the_community():
    # given the list of wrongdoers put under management, and its breakdown in brackets
    text = "Công an huyện rà soát, lập danh sách đưa vào diện quản lý 86 đối tượng (nữ 9)."
    assert _found(text) == [("COMMUNITY_EDUCATION_PERSONS", 86)]


def test_managing_other_people_is_not_community_education():
    text = "Năm 2023, Công an tỉnh quản lý 1.200 người nước ngoài tạm trú."
    assert _found(text) == [(None, 1200)]


def test_the_last_boundary_at_or_before_a_position():
    boundaries = _Boundaries(re.compile(r"\."), "a. b. c")  # ends at 2 and 5
    assert [boundaries.last(p) for p in (0, 1, 2, 4, 5, 100)] == [0, 0, 2, 2, 5, 5]


def test_a_long_text_gives_each_sentence_its_own_figures():
    # given the same short report repeated: boundaries are indexed once for the whole text
    sentence = "Năm 2024, xã củng cố, duy trì 12 mô hình; tổ chức 5 buổi tuyên truyền.\n"
    figures = find_figures(sentence * 400)
    assert len(figures) == 800
    assert {(f.indicator, f.value) for f in figures} == {
        ("SCHEMES_MAINTAINED", 12), ("OUTREACH_SESSIONS", 5),
    }  # fmt: skip
    assert figures[-1].sentence == len(sentence) * 399


def test_figures_of_the_whole_country_are_not_a_units():
    # given the country's totals, written as a report would write a unit's
    text = "Toàn quốc có trên 6.100 điểm tổ chức Ngày hội, tặng quà trị giá gần 40 tỷ đồng."
    # then the numbers are seen but tied to no indicator
    assert _found(text) == [(None, 6100), (None, 40_000_000_000)]
    # and the same sentence about a province gives both
    assert [code for code, _ in _found(text.replace("Toàn quốc", "Toàn tỉnh"))] == [
        "FESTIVAL_EVENTS", "FESTIVAL_GIFTS_VND",
    ]  # fmt: skip


def test_a_list_item_of_five_syllables_and_a_recognition_already_made():
    # given "câu lạc bộ pháp luật" (five syllables) between two counts of new models
    assert _found("Xây dựng mới 30 mô hình, 2 câu lạc bộ pháp luật và 15 mô hình tự quản.") == [
        ("SCHEMES_NEW", 30), (None, 2), ("SCHEMES_NEW", 15),
    ]  # fmt: skip
    # and "đã được công nhận" after the list
    text = "Toàn tỉnh có 1.200 khu dân cư, 15 xã đã được công nhận đạt chuẩn an toàn về ANTT."
    assert _found(text) == [("SAFE_RESIDENTIAL_AREAS", 1200), ("SAFE_COMMUNES", 15)]
