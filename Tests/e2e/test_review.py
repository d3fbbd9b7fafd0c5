"""What a head and a leader see before they decide, the draft an approval needs, the timeline of
real hand-overs, the queues with their dossiers first, and lists and reports on a 390-pixel phone."""
from selenium.webdriver.common.by import By

from conftest import api
from test_flow import act, as_user, attach_draft
from test_pages import PASSWORD, login, receive_at_desk, wait_for


def tokens(server, *usernames):
    return [api(server, "/api/v1/login", body={"username": u, "password": PASSWORD})["token"] for u in usernames]


def assigned_dossier(server, name, id_number):
    """A dossier received at the desk, handed over and assigned to stp.hctp.cv1 (version 3)."""
    desk, head = tokens(server, "stp.tiepnhan", "stp.hctp.truongphong")
    officer = api(server, "/api/v1/login", body={"username": "stp.hctp.cv1", "password": PASSWORD})["user"]
    code, _ = receive_at_desk(server, name, id_number, "Phường V, thành phố Vị Thanh", token=desk)
    api(server, f"/api/v1/dossiers/{code}/actions/hand_over", desk, {"version": 1})
    api(server, f"/api/v1/dossiers/{code}/actions/assign", head, {"version": 2, "officer": officer["id"]})
    return code


def test_head_and_leader_see_the_proposal_and_the_draft_before_they_decide(browser, server, tmp_path):
    code = assigned_dossier(server, "Đặng Thị Hồng", "092190007001")
    # Proposing approval without a draft: the form says so, and "Xác nhận" is refused at once.
    as_user(browser, server, "stp.hctp.cv1")
    browser.get(server + f"/ho-so/{code}")
    box = browser.find_element(By.ID, "thao-tac-propose")
    box.find_element(By.TAG_NAME, "summary").click()
    assert "Chưa có dự thảo kết quả" in box.text
    box.find_element(By.NAME, "opinion").send_keys("Đủ điều kiện")
    box.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, "trước khi đề xuất giải quyết")
    assert "Tải lại trang để xem trạng thái mới nhất" not in browser.page_source
    assert browser.find_element(By.ID, "thao-tac-propose").find_element(By.NAME, "opinion").get_attribute("value") == "Đủ điều kiện"
    # With the draft attached, the proposal goes through.
    attach_draft(browser, server, code, tmp_path)
    browser.get(server + f"/ho-so/{code}")
    box = browser.find_element(By.ID, "thao-tac-propose")
    box.find_element(By.TAG_NAME, "summary").click()
    assert "Dự thảo kết quả sẽ trình ký: du-thao-ket-qua.pdf" in box.text
    act(browser, server, code, "propose", opinion="Hồ sơ hợp lệ, đề nghị cấp phiếu")

    # The head sees what the officer proposes, with the draft, above the actions.
    as_user(browser, server, "stp.hctp.truongphong")
    browser.get(server + f"/ho-so/{code}")
    decision = browser.find_element(By.CSS_SELECTOR, "section.decision")
    for text in ["Nội dung trình xét duyệt", "Đề nghị giải quyết", "Hồ sơ hợp lệ, đề nghị cấp phiếu", "du-thao-ket-qua.pdf"]:
        assert text in decision.text, text
    assert decision.find_element(By.LINK_TEXT, "Xem").get_attribute("href").endswith("?xem=1")
    assert decision.location["y"] < browser.find_element(By.ID, "thao-tac-submit_for_signature").location["y"]
    act(browser, server, code, "submit_for_signature", opinion="Kính trình lãnh đạo ký")

    # The leader sees the proposal, the head's submission and the file "Ký duyệt" will sign.
    as_user(browser, server, "stp.lanhdao")
    browser.get(server + f"/ho-so/{code}")
    decision = browser.find_element(By.CSS_SELECTOR, "section.decision").text
    for text in ["Nội dung trình ký duyệt", "Đề nghị giải quyết", "Kính trình lãnh đạo ký", "du-thao-ket-qua.pdf"]:
        assert text in decision, text
    box = browser.find_element(By.ID, "thao-tac-approve")
    box.find_element(By.TAG_NAME, "summary").click()
    assert "Ký duyệt sẽ ký số tệp: du-thao-ket-qua.pdf (phiên bản 1)" in box.text


def test_uploads_are_not_hand_overs_in_the_timeline(browser, server, tmp_path):
    code = assigned_dossier(server, "Phan Văn Lộc", "092190007002")
    as_user(browser, server, "stp.hctp.cv1")
    for _ in range(3):
        attach_draft(browser, server, code, tmp_path)
    browser.get(server + f"/ho-so/{code}?tab=tien-trinh")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.timeline tbody tr")
    assert [r.find_elements(By.TAG_NAME, "td")[0].text for r in rows] == ["Chờ bàn giao", "Đang thụ lý - Chờ phân công", "Đang thụ lý"]
    assert "Đính kèm tệp" not in browser.find_element(By.CSS_SELECTOR, "table.timeline").text
    # Mẫu 06: nobody hands the dossier to themself.
    browser.get(server + f"/ho-so/{code}/mau/06")
    for row in browser.find_elements(By.CSS_SELECTOR, "table.grid tbody tr"):
        cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
        assert cells[1] != cells[2], cells


def test_queues_show_their_dossiers_first(browser, server):
    # One dossier in each queue looked at: the desk's hand-over, the head's assignment, the officer's work.
    receive_at_desk(server, "Lâm Thị Mai", "092190007003", "Phường I, thành phố Vị Thanh")
    desk, = tokens(server, "stp.tiepnhan")
    waiting, _ = receive_at_desk(server, "Lâm Văn Nam", "092190007004", "Phường I, thành phố Vị Thanh", token=desk)
    api(server, f"/api/v1/dossiers/{waiting}/actions/hand_over", desk, {"version": 1})
    assigned_dossier(server, "Lâm Thị Oanh", "092190007005")
    browser.set_window_size(1366, 768)
    try:
        as_user(browser, server, "stp.tiepnhan")
        for entry in ["Hồ sơ chờ tiếp nhận", "Hồ sơ chờ bàn giao", "Hồ sơ chờ bổ sung", "Hồ sơ chờ trả kết quả"]:
            browser.get(server + "/trang-chu")
            browser.find_element(By.LINK_TEXT, entry).click()
            wait_for(browser, "Tổng số:")
            assert browser.find_element(By.TAG_NAME, "h1").text == entry
        # Each desk queue holds only its own kind of dossier.
        browser.get(server + "/trang-chu")
        browser.find_element(By.LINK_TEXT, "Hồ sơ chờ bàn giao").click()
        statuses = [r.find_elements(By.TAG_NAME, "td")[4].text for r in browser.find_elements(By.CSS_SELECTOR, "table.list tbody tr")]
        assert statuses and set(statuses) == {"Chờ bàn giao"}, statuses
        first = browser.find_element(By.CSS_SELECTOR, "table.list tbody tr")
        assert first.is_displayed() and first.rect["y"] + first.rect["height"] <= 768 - 100, first.rect
        assert not browser.find_element(By.NAME, "q").is_displayed()  # the criteria are folded
        for user, entry in [("stp.hctp.truongphong", "Phân công thụ lý"), ("stp.hctp.cv1", "Hồ sơ đang thụ lý")]:
            as_user(browser, server, user)
            browser.find_element(By.LINK_TEXT, entry).click()
            first = browser.find_element(By.CSS_SELECTOR, "table.list tbody tr")
            assert first.rect["y"] + first.rect["height"] <= 768 - 100, (entry, first.rect)
    finally:
        browser.set_window_size(1280, 900)


def inside(phone):
    width = phone.execute_script("return document.documentElement.clientWidth")
    assert width <= 400, width
    assert phone.execute_script("return document.scrollingElement.scrollWidth") <= width
    return width


def test_lists_and_reports_fit_a_phone(phone, server):
    login(phone, server, "stp.tiepnhan")
    for path in ["/ho-so", "/ho-so?status=received&sort=received_at"]:
        phone.get(server + path)
        width = inside(phone)
        cells = phone.find_elements(By.CSS_SELECTOR, "table.list tbody td")
        assert cells
        for cell in cells:
            left, right = cell.rect["x"], cell.rect["x"] + cell.rect["width"]
            assert left >= 0 and right <= width + 0.5, (path, cell.text, cell.rect)
        # Each cell says what it is: the column's name beside the value.
        labels = phone.execute_script(
            "return Array.from(document.querySelector('table.list tbody tr').cells)"
            ".map(c => getComputedStyle(c, '::before').content)")
        assert '"Mã hồ sơ"' in labels and '"Hạn xử lý"' in labels and '"Thao tác"' in labels, labels
    phone.delete_all_cookies()
    login(phone, server, "lanhdaotinh")
    phone.get(server + "/thong-ke?tu-ngay=01/01/2025")
    width = inside(phone)
    frame = phone.find_element(By.CSS_SELECTOR, "div.scroll")
    assert frame.rect["width"] <= width and phone.execute_script("return arguments[0].scrollWidth", frame) > width
    name = phone.find_element(By.CSS_SELECTOR, "table.report tbody tr td:nth-child(3)")
    phone.execute_script("arguments[0].scrollLeft = 400", frame)
    assert abs(name.rect["x"] - frame.rect["x"]) < 2, (name.rect, frame.rect)  # the name column stays
