from playwright.sync_api import expect


def test_a_demo_user_logs_in_and_sees_their_unit(login):
    # given the demo province / when the Bờ Y data-entry user logs in
    page = login("boy_nhaplieu")
    # then the home page names their commune
    expect(page.locator("main")).to_contain_text("Xã Bờ Y")
    expect(page.locator("nav")).to_contain_text("Đăng xuất")


def test_a_wrong_password_is_refused_in_vietnamese(login):
    page = login("boy_nhaplieu", "sai-mat-khau")
    assert page.url.endswith("/accounts/login/")
    expect(page.locator("main")).to_contain_text("mật khẩu")
