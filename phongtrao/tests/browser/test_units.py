from playwright.sync_api import expect


def test_a_unit_is_found_without_diacritics(login):
    # given the province data-entry user
    page = login("qn_nhaplieu")
    page.goto("/units/")
    # when typing a name without diacritics
    page.fill("input[name=q]", "cam thanh")
    # then the results follow the typing and name the ward
    results = page.locator("#results")
    expect(results).to_contain_text("Phường Cẩm Thành")
    expect(results).to_contain_text("21025")


def test_the_date_switch_shows_plei_kan_and_its_successor(login):
    # given the Bờ Y data-entry user, whose commune took over Plei Kần in 2025
    page = login("boy_nhaplieu")
    page.goto("/units/")
    # when searching on the festival day of 2019
    page.fill("input[name=on]", "2019-08-19")
    page.fill("input[name=q]", "plei kan")
    page.locator("form[role=search] button[type=submit]").click()
    results = page.locator("#results")
    expect(results).to_contain_text("Trước sắp xếp đơn vị hành chính")
    expect(results.locator("td").first).to_have_text("Thị trấn Plei Kần")
    expect(results).to_contain_text("Huyện Ngọc Hồi")
    # and opening the old town
    results.get_by_role("link", name="Thị trấn Plei Kần").click()
    # then its successor today is Xã Bờ Y of Quảng Ngãi
    successor = page.locator("section.card", has_text="Từ ngày 01/7/2025 chuyển về")
    expect(successor).to_contain_text("Xã Bờ Y")
    expect(successor).to_contain_text("Tỉnh Quảng Ngãi")
