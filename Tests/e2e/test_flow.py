"""One dossier from the counter to the returned result using only the pages, as each role in turn:
reception at the counter and its receipt, hand-over from the desk's queue, "Phân công thụ lý", a
supplementation round, "Yêu cầu thụ lý lại" with an official opinion, "Trình lãnh đạo ký duyệt",
"Ký duyệt", "Trả kết quả"; then the timeline and log tabs show each step, and a head of another
agency gets "not found"."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import api
from test_pages import PASSWORD, login, wait_for


def logout(browser):
    browser.find_element(By.CSS_SELECTOR, "header form.inline button").click()
    wait_for(browser, "Đăng nhập")


def act(browser, server, code, action, **fields):
    browser.get(server + f"/ho-so/{code}")
    box = browser.find_element(By.ID, f"thao-tac-{action}")
    box.find_element(By.TAG_NAME, "summary").click()
    for name, value in fields.items():
        box.find_element(By.NAME, name).send_keys(value)
    box.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, "Đã thực hiện:")


def minimal_pdf(text):
    """A small well-formed PDF (the server checks a file's whole structure)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>", f"<< /Producer ({text}) >>"]
    pdf, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objects):
        offsets.append(len(pdf))
        pdf += f"{i + 1} 0 obj\n{o}\nendobj\n".encode()
    xref = len(pdf)
    pdf += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode() + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return pdf


def attach_draft(browser, server, code, folder):
    """The officer attaches the draft result under "Tệp khác": the file "Ký duyệt" signs."""
    draft = folder / "du-thao-ket-qua.pdf"
    draft.write_bytes(minimal_pdf("Phieu ly lich tu phap"))
    browser.get(server + f"/ho-so/{code}?tab=thanh-phan")
    other = browser.find_elements(By.CSS_SELECTOR, "form.upload")[-1]
    other.find_element(By.NAME, "file").send_keys(str(draft))
    other.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, "Đã tải lên tệp.")


def as_user(browser, server, username):
    browser.delete_all_cookies()
    login(browser, server, username)


def test_counter_to_returned_result_through_the_pages(browser, server, tmp_path):
    officer = api(server, "/api/v1/login", body={"username": "stp.hctp.cv1", "password": PASSWORD})["user"]

    # The desk: find the procedure, fill the form, see the appointment, save, print the receipt.
    as_user(browser, server, "stp.tiepnhan")
    browser.find_element(By.LINK_TEXT, "Tiếp nhận hồ sơ").click()
    browser.find_element(By.NAME, "q").send_keys("ly lich tu phap")
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    WebDriverWait(browser, 15).until(lambda b: "q=ly+lich" in b.current_url)
    browser.find_element(By.CSS_SELECTOR, "a[href='/tiep-nhan?procedure=1.001978.000.00.00.H28']").click()
    wait_for(browser, "ngày hẹn trả kết quả là")
    form = browser.find_element(By.CSS_SELECTOR, "form.card")
    form.find_element(By.NAME, "address").send_keys("Số 8, đường Ngô Quyền, phường V, thành phố Vị Thanh")
    form.find_element(By.NAME, "idNumber").send_keys("092188004455")
    # The server's own check, past the browser's (a client may skip the browser's).
    browser.execute_script("document.querySelector('form.card').noValidate = true")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # A missing name is explained beside the field, and what was typed stays.
    wait_for(browser, "Nhập họ tên người nộp.")
    form = browser.find_element(By.CSS_SELECTOR, "form.card")
    assert form.find_element(By.NAME, "idNumber").get_attribute("value") == "092188004455"
    assert "Ngô Quyền" in form.find_element(By.NAME, "address").get_attribute("value")
    form.find_element(By.NAME, "name").send_keys("Võ Thị Thu Hà")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    code, secret = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "p.subtitle strong")][:2]
    assert "Võ Thị Thu Hà" in browser.page_source

    # Hand-over from the desk's own queue, "Hồ sơ chờ bàn giao" in the menu.
    browser.get(server + "/trang-chu")
    browser.find_element(By.LINK_TEXT, "Hồ sơ chờ bàn giao").click()
    browser.find_element(By.CSS_SELECTOR, f"input[value^='{code}:']").click()
    browser.find_element(By.CSS_SELECTOR, "#ban-giao button").click()
    wait_for(browser, "Đã bàn giao 1 hồ sơ.")

    # The head assigns the officer from "Phân công thụ lý", workload beside the name.
    as_user(browser, server, "stp.hctp.truongphong")
    browser.find_element(By.LINK_TEXT, "Phân công thụ lý").click()
    wait_for(browser, code)
    browser.find_element(By.CSS_SELECTOR, f"input[value^='{code}:']").click()
    Select(browser.find_element(By.NAME, "officer")).select_by_value(officer["id"])
    browser.find_element(By.CSS_SELECTOR, "form .card button").click()
    wait_for(browser, "Đã phân công 1 hồ sơ.")

    # The officer asks for a supplement; the desk takes it; the officer proposes.
    as_user(browser, server, "stp.hctp.cv1")
    act(browser, server, code, "request_supplement", reason="Bổ sung bản sao sổ hộ khẩu")
    as_user(browser, server, "stp.tiepnhan")
    act(browser, server, code, "supplement", opinion="Đã nhận bản sao sổ hộ khẩu")
    as_user(browser, server, "stp.hctp.cv1")
    attach_draft(browser, server, code, tmp_path)
    act(browser, server, code, "propose", opinion="Đủ điều kiện cấp phiếu")

    # The head sends it back with an official opinion, then submits the second proposal.
    as_user(browser, server, "stp.hctp.truongphong")
    browser.find_element(By.LINK_TEXT, "Xét duyệt hồ sơ").click()
    wait_for(browser, code)
    act(browser, server, code, "return_for_rework", opinion="Kiểm tra lại nơi cư trú")
    as_user(browser, server, "stp.hctp.cv1")
    attach_draft(browser, server, code, tmp_path)
    act(browser, server, code, "propose", opinion="Đã kiểm tra lại, đủ điều kiện")
    as_user(browser, server, "stp.hctp.truongphong")
    act(browser, server, code, "submit_for_signature")

    # The leader signs; the desk returns the result.
    as_user(browser, server, "stp.lanhdao")
    browser.find_element(By.LINK_TEXT, "Hồ sơ chờ ký duyệt").click()
    wait_for(browser, code)
    act(browser, server, code, "approve")
    wait_for(browser, "Chữ ký số hợp lệ")
    as_user(browser, server, "stp.tiepnhan")
    act(browser, server, code, "return_result")
    assert "Đã trả kết quả" in browser.page_source

    # The applicant, logged out, opens the lookup (the receipt's QR code) and rates the service once.
    browser.delete_all_cookies()
    browser.get(server + f"/tra-cuu?code={code}&secret={secret}")
    browser.find_element(By.LINK_TEXT, "Đánh giá mức độ hài lòng").click()
    wait_for(browser, "Gửi đánh giá")
    browser.find_element(By.CSS_SELECTOR, "input[name=overall][value=very_satisfied]").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=convenience][value='1']").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=attitude][value='1']").click()
    browser.find_element(By.NAME, "comment").send_keys("Cán bộ hướng dẫn tận tình.")
    browser.find_element(By.CSS_SELECTOR, "form.rating button").click()
    wait_for(browser, "Cảm ơn bạn đã đánh giá")
    assert "Bạn đã đánh giá hồ sơ này: " in browser.page_source and "Gửi đánh giá" not in browser.page_source
    as_user(browser, server, "stp.tiepnhan")
    browser.get(server + f"/ho-so/{code}?tab=nhat-ky")
    assert "Ý kiến: Cán bộ hướng dẫn tận tình." in browser.page_source

    # Every step in the timeline and the log.
    browser.get(server + f"/ho-so/{code}?tab=tien-trinh")
    timeline = browser.find_element(By.CSS_SELECTOR, "table.timeline").text
    for text in ["Chờ bàn giao", "Chờ phân công", "Chờ bổ sung điều kiện", "Chờ xét duyệt", "Chờ ký duyệt", "Chờ trả kết quả", "Đã trả kết quả"]:
        assert text in timeline, text
    assert "Tạm dừng và thay đổi hạn xử lý" in browser.page_source
    browser.get(server + f"/ho-so/{code}?tab=nhat-ky")
    log = browser.find_element(By.CSS_SELECTOR, "table.log").text
    for text in ["Tiếp nhận hồ sơ", "Bàn giao hồ sơ", "Phân công thụ lý", "Yêu cầu bổ sung hồ sơ", "Bổ sung hồ sơ", "Yêu cầu thụ lý lại",
                 "Kiểm tra lại nơi cư trú", "Trình lãnh đạo ký duyệt", "Ký duyệt", "Trả kết quả"]:
        assert text in log, text

    # A head of another agency: not found, still logged in.
    as_user(browser, server, "vithanh.kt.truongphong")
    browser.get(server + f"/ho-so/{code}")
    assert "Không tìm thấy" in browser.page_source
    assert "Đăng xuất" in browser.page_source
