from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import api

PASSWORD = "MotCua@2026"


def wait_for(browser, text):
    """Waits until the page shows a text (a form submission loads a new page)."""
    WebDriverWait(browser, 15).until(lambda b: text in b.page_source)


def receive_at_desk(server, name, id_number, address, token=None):
    """A criminal-record request received at Sở Tư pháp's desk through the API: its code and lookup secret."""
    token = token or api(server, "/api/v1/login", body={"username": "stp.tiepnhan", "password": PASSWORD})["token"]
    created = api(server, "/api/v1/dossiers", token, {
        "procedureCode": "1.001978.000.00.00.H28", "channel": "direct",
        "applicant": {"name": name, "idNumber": id_number, "address": address},
    })
    return created["dossier"]["code"], created["lookupSecret"]


def login(browser, server, username, password=PASSWORD, expect="Trang chủ"):
    browser.get(server + "/dang-nhap")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form.card button").click()
    wait_for(browser, expect)


def test_home_page_in_vietnamese(browser, server):
    browser.get(server + "/")
    assert "Cổng dịch vụ công trực tuyến" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.NAME, "code")
    assert browser.find_element(By.NAME, "secret")


def test_wrong_password_is_refused_in_vietnamese(browser, server):
    login(browser, server, "stp.tiepnhan", "sai", expect="Tên đăng nhập hoặc mật khẩu không đúng.")


def test_officer_logs_in_lists_and_opens_a_dossier(browser, server):
    login(browser, server, "lanhdaotinh")
    assert browser.current_url.endswith("/trang-chu")  # the home page of the user's roles
    browser.find_element(By.LINK_TEXT, "Tra cứu hồ sơ").click()
    wait_for(browser, "Tổng số:")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
    assert len(rows) == 20
    # 150 demo dossiers, and those the other tests of this server received.
    total = int(browser.find_element(By.XPATH, "//p[starts-with(., 'Tổng số')]").text.split()[2].replace(".", ""))
    assert total >= 150
    first = rows[0].find_element(By.TAG_NAME, "a")
    code = first.text
    first.click()
    wait_for(browser, "Thông tin chung")
    assert code in browser.find_element(By.TAG_NAME, "h1").text
    browser.save_screenshot("/tmp/motcua-dossier.png")
    browser.find_element(By.LINK_TEXT, "Nhật ký sửa đổi").click()
    wait_for(browser, "Người thực hiện")
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.log tbody tr")) >= 1
    browser.find_element(By.LINK_TEXT, "Tiến trình thụ lý").click()
    wait_for(browser, "Người giữ hồ sơ")
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.timeline tbody tr")) >= 1


def test_search_without_diacritics(browser, server):
    login(browser, server, "lanhdaotinh")
    browser.get(server + "/ho-so")
    name = browser.find_elements(By.CSS_SELECTOR, "table.list tbody tr td")[1].text
    plain = name.lower().replace("đ", "d")
    import unicodedata
    plain = "".join(c for c in unicodedata.normalize("NFD", plain) if unicodedata.category(c) != "Mn")
    # The criteria are folded under the list: opened by their summary.
    browser.find_element(By.CSS_SELECTOR, "details.filters summary").click()
    box = browser.find_element(By.NAME, "q")
    box.clear()
    box.send_keys(plain)
    browser.find_element(By.CSS_SELECTOR, "details.filters button").click()
    WebDriverWait(browser, 15).until(lambda b: "q=" in b.current_url)
    cells = [r.find_elements(By.TAG_NAME, "td")[1].text for r in browser.find_elements(By.CSS_SELECTOR, "table.list tbody tr")]
    assert name in cells


def test_public_lookup_by_code_and_secret(browser, server):
    code, secret = receive_at_desk(server, "Lê Thị Hồng Nhung", "092190001234", "Phường I, thành phố Vị Thanh")
    browser.get(server + "/")
    browser.find_element(By.NAME, "code").send_keys(code)
    browser.find_element(By.NAME, "secret").send_keys(secret)
    browser.find_element(By.CSS_SELECTOR, "form[action='/tra-cuu'] button").click()
    wait_for(browser, "Chờ bàn giao")
    assert "Lê Thị Hồng Nhung" in browser.page_source
    browser.get(server + f"/tra-cuu?code={code}&secret={'0000' if secret != '0000' else '1111'}")
    assert "Không tìm thấy hồ sơ" in browser.page_source


def test_head_returns_a_dossier_for_rework_from_its_page(browser, server):
    """The manual's 1.2.2: "Yêu cầu thụ lý lại", enter "Ý kiến chính thức", "Xác nhận"."""
    reception = api(server, "/api/v1/login", body={"username": "stp.tiepnhan", "password": PASSWORD})["token"]
    head = api(server, "/api/v1/login", body={"username": "stp.hctp.truongphong", "password": PASSWORD})["token"]
    officer_login = api(server, "/api/v1/login", body={"username": "stp.hctp.cv1", "password": PASSWORD})
    code, _ = receive_at_desk(server, "Trần Văn Bình", "092190005678", "Phường III, thành phố Vị Thanh", token=reception)
    api(server, f"/api/v1/dossiers/{code}/actions/hand_over", reception, {"version": 1})
    api(server, f"/api/v1/dossiers/{code}/actions/assign", head, {"version": 2, "officer": officer_login["user"]["id"]})
    api(server, f"/api/v1/dossiers/{code}/actions/propose", officer_login["token"],
        {"version": 3, "opinion": "Chưa đủ điều kiện", "proposal": "refuse", "reason": "Thiếu xác nhận nơi cư trú"})

    login(browser, server, "stp.hctp.truongphong")
    browser.get(server + f"/ho-so/{code}")
    wait_for(browser, "Trình lãnh đạo ký duyệt")
    # What the head decides on is on the page: the proposal, its opinion and reason.
    decision = browser.find_element(By.CSS_SELECTOR, "section.decision").text
    for text in ["Nội dung trình xét duyệt", "Đề nghị từ chối", "Chưa đủ điều kiện", "Thiếu xác nhận nơi cư trú"]:
        assert text in decision, text
    action = browser.find_element(By.ID, "thao-tac-return_for_rework")
    action.find_element(By.TAG_NAME, "summary").click()
    action.find_element(By.NAME, "opinion").send_keys("Đề nghị kiểm tra lại thông tin chủ hồ sơ")
    browser.save_screenshot("/tmp/motcua-review.png")
    action.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, "Đã thực hiện: Yêu cầu thụ lý lại.")
    assert "Đang thụ lý" in browser.page_source
    browser.find_element(By.LINK_TEXT, "Nhật ký sửa đổi").click()
    wait_for(browser, "Người thực hiện")
    log = browser.find_elements(By.CSS_SELECTOR, "table.log tbody tr")
    assert "Yêu cầu thụ lý lại" in log[-1].text
    assert "Đề nghị kiểm tra lại thông tin chủ hồ sơ" in log[-1].text
    assert api(server, f"/api/v1/dossiers/{code}", head)["dossier"]["step"] == "in_progress"


def test_list_pages_keep_the_filters(browser, server):
    login(browser, server, "lanhdaotinh")
    browser.get(server + "/ho-so")
    assert "Trang 1 / 8" in browser.page_source  # 150 demo dossiers, 20 a page
    first = [r.find_element(By.TAG_NAME, "a").text for r in browser.find_elements(By.CSS_SELECTOR, "table.list tbody tr")]
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    wait_for(browser, "Trang 2 / 8")
    second = [r.find_element(By.TAG_NAME, "a").text for r in browser.find_elements(By.CSS_SELECTOR, "table.list tbody tr")]
    assert len(second) == 20 and not set(first) & set(second)
    # A filter is kept from page to page.
    browser.get(server + "/ho-so?status=returned")
    total = browser.find_element(By.XPATH, "//p[starts-with(., 'Tổng số')]").text
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()  # most demo dossiers are returned: several pages
    wait_for(browser, "Trang 2 /")
    assert "status=returned" in browser.current_url
    assert browser.find_element(By.XPATH, "//p[starts-with(., 'Tổng số')]").text == total
    assert all("Đã trả kết quả" in r.text for r in browser.find_elements(By.CSS_SELECTOR, "table.list tbody tr"))


def test_account_page_changes_the_password(browser, server):
    """The manual's section 4: click one's name, "Thông tin tài khoản", change the password."""
    login(browser, server, "stp.hctp.cv2")
    browser.find_element(By.CSS_SELECTOR, "header a.user").click()
    wait_for(browser, "Đổi mật khẩu")
    form = browser.find_element(By.ID, "doi-mat-khau")
    # A weak password is refused in Vietnamese beside the form.
    form.find_element(By.NAME, "current").send_keys(PASSWORD)
    form.find_element(By.NAME, "new").send_keys("abc")
    form.find_element(By.NAME, "repeated").send_keys("abc")
    form.find_element(By.CSS_SELECTOR, "button").click()
    wait_for(browser, "Mật khẩu mới chưa đạt yêu cầu")
    form = browser.find_element(By.ID, "doi-mat-khau")
    form.find_element(By.NAME, "current").send_keys(PASSWORD)
    form.find_element(By.NAME, "new").send_keys("HauGiang#2027")
    form.find_element(By.NAME, "repeated").send_keys("HauGiang#2027")
    browser.save_screenshot("/tmp/motcua-account.png")
    form.find_element(By.CSS_SELECTOR, "button").click()
    wait_for(browser, "Đã đổi mật khẩu.")
    browser.find_element(By.CSS_SELECTOR, "form.inline button").click()   # Đăng xuất
    wait_for(browser, "Đăng nhập")
    login(browser, server, "stp.hctp.cv2", password="HauGiang#2027")
    assert browser.current_url.endswith("/trang-chu")


def test_overlong_requests_get_an_answer_and_connections_are_reused(server):
    """A 20 KB address is answered 414; a 100 KB head passes SwiftNIO's limit and the connection is
    closed (nginx answers those in production), never a server error; the server serves on, and an
    ordinary keep-alive connection carries several requests."""
    import http.client
    import socket
    from urllib.parse import urlparse
    address = urlparse(server)

    def exchange(raw):
        with socket.create_connection((address.hostname, address.port), timeout=30) as s:
            try:
                s.sendall(raw)
            except (BrokenPipeError, ConnectionResetError):
                pass   # closed before reading it all
            answer = b""
            while b"\r\n\r\n" not in answer:
                try:
                    chunk = s.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                answer += chunk
            return answer

    assert exchange(("GET /api/v1/dossiers?q=" + "a" * 20_000 + " HTTP/1.1\r\nHost: x\r\n\r\n").encode()).startswith(b"HTTP/1.1 414")
    huge = exchange(("GET /api/v1/dossiers?q=" + "a" * 100_000 + " HTTP/1.1\r\nHost: x\r\n\r\n").encode())
    assert huge == b"" or huge.startswith(b"HTTP/1.1 4"), huge[:100]
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    for path in ["/", "/tra-cuu", "/openapi.yaml"]:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        assert response.status == 200
    connection.close()


def test_statistics_summary_drills_down_and_custom_report(browser, server):
    login(browser, server, "lanhdaotinh")
    browser.find_element(By.LINK_TEXT, "Thống kê báo cáo").click()
    wait_for(browser, "Báo cáo tuỳ chọn")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Biểu số II.06a").click()
    wait_for(browser, "Xem báo cáo")
    browser.find_element(By.NAME, "tu-ngay").clear()
    browser.find_element(By.NAME, "tu-ngay").send_keys("01/01/2025")
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    # The page before the click already shows a total: wait for the new address, not the text.
    WebDriverWait(browser, 15).until(lambda b: "tu-ngay=01%2F01%2F2025" in b.current_url)
    wait_for(browser, "Tổng cộng")
    total = browser.find_element(By.CSS_SELECTOR, "table.report tr.total")
    cells = total.find_elements(By.TAG_NAME, "td")
    received = cells[3].text
    assert int(received.replace(".", "")) > 0
    assert browser.find_element(By.CSS_SELECTOR, ".chart svg rect")
    # The total received opens the list of exactly that many dossiers.
    cells[3].find_element(By.TAG_NAME, "a").click()
    wait_for(browser, "Hồ sơ tiếp nhận trong kỳ")
    assert browser.find_element(By.CSS_SELECTOR, "strong.total").text == received
    # Custom report: the ticked columns, in order.
    browser.get(server + "/thong-ke/tuy-chon")
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name='cot[]']"):
        if box.is_selected() != (box.get_attribute("value") in ("1", "7")):
            box.click()
    browser.find_element(By.NAME, "tu-ngay").send_keys("01/01/2025")
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    wait_for(browser, "Lưu báo cáo")
    headings = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.list thead th")]
    assert headings == ["Mã hồ sơ", "Chủ hồ sơ"]
    browser.find_element(By.NAME, "name").send_keys("Danh sách chủ hồ sơ")
    browser.find_element(By.CSS_SELECTOR, "form.card button").click()
    wait_for(browser, "Đã lưu báo cáo.")
    assert "Danh sách chủ hồ sơ" in browser.page_source


def test_administrator_edits_the_calendar_and_a_procedure(browser, server):
    """Lịch làm việc: a day swapped from the page's form, refused first with the reason and the
    typed dates kept; Thủ tục hành chính: an edit whose steps do not add up is refused beside the
    steps, keeping what was typed; both in Nhật ký quản trị."""
    browser.delete_all_cookies()
    login(browser, server, "quantri")
    browser.find_element(By.LINK_TEXT, "Lịch làm việc").click()
    wait_for(browser, "Hoán đổi ngày")
    browser.get(server + "/quan-tri/lich-lam-viec?nam=2029")
    wait_for(browser, "Lịch làm việc năm 2029")
    form = browser.find_element(By.CSS_SELECTOR, "form[action='/quan-tri/lich-lam-viec/2029/hoan-doi']")
    form.find_element(By.NAME, "dayOff").send_keys("04/01/2029")        # a Thursday
    form.find_element(By.NAME, "workingDay").send_keys("08/01/2029")    # a Monday: not a rest day
    form.find_element(By.NAME, "swapDescription").send_keys("Nghỉ bù Tết Dương lịch")
    form.find_element(By.CSS_SELECTOR, "button").click()
    wait_for(browser, "vốn là ngày làm việc, không thể ghi là ngày làm bù")
    form = browser.find_element(By.CSS_SELECTOR, "form[action='/quan-tri/lich-lam-viec/2029/hoan-doi']")
    assert form.find_element(By.NAME, "dayOff").get_attribute("value") == "04/01/2029"
    field = form.find_element(By.NAME, "workingDay")
    field.clear()
    field.send_keys("13/01/2029")                                       # a Saturday
    form.find_element(By.CSS_SELECTOR, "button").click()
    wait_for(browser, "Đã hoán đổi ngày.")
    assert "Làm bù cho ngày 04/01/2029" in browser.page_source
    # A procedure whose steps do not add up to its time.
    browser.find_element(By.LINK_TEXT, "Thủ tục hành chính").click()
    wait_for(browser, "Tổng số:")
    browser.find_element(By.NAME, "q").send_keys("1.001978")
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    wait_for(browser, "Tổng số: 1 thủ tục")
    browser.find_element(By.LINK_TEXT, "Sửa").click()
    wait_for(browser, "Quy trình nội bộ")
    time_field = browser.find_element(By.NAME, "timeAmount")
    time_field.clear()
    time_field.send_keys("12")
    browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
    wait_for(browser, "phải bằng thời hạn giải quyết (12 ngày làm việc)")
    assert browser.find_element(By.NAME, "timeAmount").get_attribute("value") == "12"
    browser.find_element(By.LINK_TEXT, "Nhật ký quản trị").click()
    wait_for(browser, "Hoán đổi ngày làm việc")
    browser.delete_all_cookies()
