from phongtrao.documents.anniversaries import anniversaries, anniversaries_ahead


def test_2019_is_the_74th_year_of_the_police_and_the_14th_of_the_festival():
    # when
    texts = [a.text for a in anniversaries(2019)]
    # then
    assert texts == [
        "74 năm Ngày truyền thống lực lượng Công an nhân dân (19/8/1945 - 19/8/2019)",
        "14 năm Ngày hội toàn dân bảo vệ an ninh Tổ quốc (19/8/2005 - 19/8/2019)",
    ]


def test_2019_looks_ahead_to_the_round_anniversaries_of_2020():
    # when
    ahead = anniversaries_ahead(2019)
    # then
    assert [(a.years, a.year) for a in ahead] == [(75, 2020), (15, 2020)]


def test_2020_has_no_round_anniversary_ahead():
    assert anniversaries_ahead(2020) == []


def test_2020_is_the_75th_year_of_the_police_and_the_15th_of_the_festival():
    assert [a.years for a in anniversaries(2020)] == [75, 15]


def test_there_is_no_festival_anniversary_before_the_festival_began():
    assert [a.years for a in anniversaries(2005)] == [60]
