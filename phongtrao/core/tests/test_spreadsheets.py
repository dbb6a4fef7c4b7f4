from phongtrao.core.spreadsheets import ImportCheck, Problem


def test_a_problem_reads_as_one_line_where_its_reader_names_the_place():
    problem = Problem(3, "cột comment", "Quá dài.", where="Dòng 3")
    assert str(problem) == "Dòng 3, cột comment: Quá dài."


def test_problems_of_a_table_compare_by_row_column_and_message():
    assert Problem(2, "Tên", "Tên đang để trống.") == Problem(2, "Tên", "Tên đang để trống.")


def test_a_check_is_ok_only_with_rows_and_no_problem():
    assert ImportCheck(rows=[1]).ok
    assert not ImportCheck().ok
    assert not ImportCheck(rows=[1], problems=[Problem(0, "", "Hỏng.")]).ok
