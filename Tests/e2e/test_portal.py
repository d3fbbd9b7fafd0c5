"""The citizen portal on a 390-pixel phone, the whole way (issue 22's acceptance): register and verify
the e-mail read from the relay's inbox, submit a dossier with an e-form and an upload, the desk
accepts it and asks for a supplement, answered online, the fee paid through the VNPay stand-in (a
forged, a replayed and a wrong-amount IPN change nothing), the result received and downloaded,
rated, looked up logged out, and reused in a second submission."""
import json
import re
import urllib.request
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from accessibility import axe_violations
from conftest import api
from test_flow import minimal_pdf
from test_pages import PASSWORD, wait_for
from test_vnpay import ipn

PROCEDURE = "1.001978.000.00.00.H28"


def fits(phone):
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390
    assert axe_violations(phone) == []


def click(phone, xpath):
    element = phone.find_element(By.XPATH, xpath)
    phone.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def upload_api(server, code, token, data, name):
    """The officer's draft result, through the API's multipart upload."""
    boundary = "----motcua" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n").encode()
    body += data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(server + f"/api/v1/dossiers/{code}/files", data=body, method="POST")
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def step(server, code, token, action, **body):
    version = api(server, f"/api/v1/dossiers/{code}", token)["dossier"]["version"]
    return api(server, f"/api/v1/dossiers/{code}/actions/{action}", token, {"version": version, **body})


def fill_draft(phone, id_number):
    """The address and birth date the account does not hold, and the e-form."""
    phone.find_element(By.NAME, "a_birthDate").send_keys("05/09/1990")
    phone.find_element(By.NAME, "a_address").send_keys("Số 5, đường Hòa Bình, phường Ninh Kiều")
    for name, value in [("ho-va-ten", "Trần Thị Hoa"), ("ngay-sinh", "05/09/1990"), ("noi-sinh", "Cần Thơ"),
                        ("so-dinh-danh-ca-nhan", id_number), ("noi-thuong-tru", "Phường Ninh Kiều, thành phố Cần Thơ"),
                        ("so-luong-phieu-yeu-cau-cap", "1"), ("muc-dich-yeu-cau-cap-phieu", "Bổ sung hồ sơ xin việc")]:
        phone.find_element(By.NAME, "f_" + name).send_keys(value)
    Select(phone.find_element(By.NAME, "f_gioi-tinh")).select_by_value("Nữ")
    Select(phone.find_element(By.NAME, "f_loai-phieu-yeu-cau-cap")).select_by_value("Phiếu số 1")


def save_draft_with_card(phone, id_number, tmp_path, card_text):
    """The draft's e-form filled and saved, the identity card uploaded, and the review page opened."""
    fill_draft(phone, id_number)
    click(phone, "//button[.='Lưu bản nháp']")
    wait_for(phone, "Đã lưu bản nháp.")
    card = tmp_path / "cccd.pdf"
    card.write_bytes(minimal_pdf(card_text))
    form = phone.find_element(By.CSS_SELECTOR, "#thanh-phan-2 form[enctype]")
    form.find_element(By.NAME, "file").send_keys(str(card))
    phone.execute_script("arguments[0].submit()", form)
    wait_for(phone, "Đã tải tệp lên và lưu vào bản nháp.")
    click(phone, "//a[.='Xem lại và nộp hồ sơ']")
    wait_for(phone, "Xem lại hồ sơ trước khi nộp")


def test_the_citizen_portal_end_to_end_on_a_phone(phone, server, vnpay, inbox, tmp_path):
    email = f"hoa.{uuid.uuid4().hex[:8]}@example.vn"
    id_number = "0921900" + str(uuid.uuid4().int % 100000).zfill(5)
    phone.delete_all_cookies()

    # 1. Register; the e-mail's link verifies the address; log in with it.
    phone.get(server + "/dang-ky")
    fits(phone)
    for name, value in [("fullName", "Trần Thị Hoa"), ("idNumber", id_number), ("phone", "0912345678"),
                        ("email", email), ("password", "Hoa@CanTho2026"), ("repeated", "Hoa@CanTho2026")]:
        phone.find_element(By.NAME, name).send_keys(value)
    click(phone, "//button[.='Đăng ký']")
    wait_for(phone, "Thư xác minh đã được gửi đến")
    mail = inbox.wait(email, "Xác minh địa chỉ thư điện tử")
    link = re.search(r"http\S+/xac-minh-email\?token=\S+", mail["body"]).group(0)
    phone.get(link)
    wait_for(phone, "Đã xác minh thư điện tử")
    phone.get(server + "/dang-nhap")
    phone.find_element(By.NAME, "username").send_keys(email)
    phone.find_element(By.NAME, "password").send_keys("Hoa@CanTho2026")
    click(phone, "//button[.='Đăng nhập']")
    wait_for(phone, "Trang chủ")

    # 2. From the catalogue, the e-form and an upload; the draft is kept on the server.
    phone.get(server + f"/thu-tuc/{PROCEDURE}")
    click(phone, "//main//a[@class='button' and .='Nộp hồ sơ trực tuyến']")
    wait_for(phone, "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp")
    assert phone.find_element(By.NAME, "a_name").get_attribute("value") == "Trần Thị Hoa"
    assert phone.find_element(By.NAME, "a_email").get_attribute("value") == email
    fits(phone)
    save_draft_with_card(phone, id_number, tmp_path, "CCCD Tran Thi Hoa")
    assert "05/09/1990" in phone.page_source and "cccd.pdf" in phone.page_source
    fits(phone)
    click(phone, "//button[.='Nộp hồ sơ']")
    wait_for(phone, "Đã nộp hồ sơ. Mã hồ sơ")
    code = phone.find_element(By.CSS_SELECTOR, "h1").text.replace("Hồ sơ ", "")
    secret = re.search(r"mã tra cứu (\d{4})", phone.page_source).group(1)
    fits(phone)
    inbox.wait(email, "Đã nộp hồ sơ trực tuyến")

    # 3. The desk accepts it in the back office, then asks for a clearer copy of the card.
    desk = api(server, "/api/v1/login", body={"username": "stp.tiepnhan", "password": PASSWORD})["token"]
    assert code in json.dumps(api(server, "/api/v1/dossiers?waiting=reception&per=100", desk))
    step(server, code, desk, "request_supplement", reason="Bản chụp CCCD bị mờ", components=[2])
    inbox.wait(email, "Yêu cầu bổ sung hồ sơ")

    # 4. The citizen answers with a new version of exactly that component.
    phone.get(server + f"/ho-so-cua-toi/{code}")
    wait_for(phone, "Bản chụp CCCD bị mờ")
    fits(phone)
    clearer = tmp_path / "cccd-ro.pdf"
    clearer.write_bytes(minimal_pdf("CCCD ro net"))
    form = phone.find_element(By.CSS_SELECTOR, "#bo-sung form[enctype]")
    form.find_element(By.NAME, "file").send_keys(str(clearer))
    phone.execute_script("arguments[0].submit()", form)
    wait_for(phone, "Đã tải tệp bổ sung lên.")
    click(phone, "//button[.='Gửi hồ sơ bổ sung']")
    wait_for(phone, "Đã gửi hồ sơ bổ sung.")
    step(server, code, desk, "accept")
    inbox.wait(email, "Hồ sơ đã được tiếp nhận")

    # 5. The fee through VNPay; forged, replayed and wrong-amount IPNs change nothing.
    step(server, code, desk, "request_payment", amount=200000)
    phone.get(server + f"/tra-cuu?code={code}&secret={secret}")
    click(phone, "//button[contains(., 'qua VNPay')]")
    wait_for(phone, "Cổng thanh toán VNPay")
    click(phone, "//*[@id='thanh-toan']")
    wait_for(phone, "Đã ghi nhận khoản phí")
    fits(phone)
    log_after_payment = len(api(server, f"/api/v1/dossiers/{code}", desk)["log"])
    order = list(vnpay.orders.values())[-1]
    assert ipn(server, vnpay.result(order, secret="khoa-gia-mao")) == "97"
    assert ipn(server, vnpay.result(order)) == "02"
    assert ipn(server, vnpay.result(order, amount="100")) == "04"
    assert len(api(server, f"/api/v1/dossiers/{code}", desk)["log"]) == log_after_payment

    # 6. Processed and signed in the back office; the result downloaded from "Hồ sơ của tôi".
    head = api(server, "/api/v1/login", body={"username": "stp.hctp.truongphong", "password": PASSWORD})["token"]
    officer_login = api(server, "/api/v1/login", body={"username": "stp.hctp.cv1", "password": PASSWORD})
    officer = officer_login["token"]
    leader = api(server, "/api/v1/login", body={"username": "stp.lanhdao", "password": PASSWORD})["token"]
    step(server, code, desk, "hand_over")
    step(server, code, head, "assign", officer=officer_login["user"]["id"])
    upload_api(server, code, officer, minimal_pdf("Phieu ly lich tu phap Tran Thi Hoa"), "phieu-lltp.pdf")
    step(server, code, officer, "propose", proposal="approve", opinion="Đủ điều kiện")
    step(server, code, head, "submit_for_signature")
    step(server, code, leader, "approve")
    step(server, code, desk, "return_result")
    inbox.wait(email, "Đã trả kết quả")
    phone.get(server + f"/ho-so-cua-toi/{code}")
    wait_for(phone, "Tải kết quả điện tử")
    assert "Đã trả kết quả" in phone.page_source
    result = phone.execute_script(
        "return fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => new TextDecoder().decode(b.slice(0, 5)))",
        server + f"/ho-so-cua-toi/{code}/ket-qua")
    assert result == "%PDF-"

    # 9. Reused in a second submission: a file of the store (the signed result first), not uploaded again.
    phone.get(server + f"/nop-truc-tuyen/{PROCEDURE}")
    wait_for(phone, "Hoặc dùng lại từ kho dữ liệu")
    reuse = phone.find_element(By.CSS_SELECTOR, "#thanh-phan-2 form[action$='tai-su-dung']")
    assert Select(reuse.find_element(By.NAME, "file")).first_selected_option.text.startswith("Kết quả ")
    phone.execute_script("arguments[0].submit()", reuse)
    wait_for(phone, "Đã đính kèm tệp từ kho dữ liệu")
    fits(phone)
    fill_draft(phone, id_number)
    click(phone, "//button[.='Lưu và xem lại để nộp']")
    wait_for(phone, "Xem lại hồ sơ trước khi nộp")
    click(phone, "//button[.='Nộp hồ sơ']")
    wait_for(phone, "Đã nộp hồ sơ. Mã hồ sơ")
    second = phone.find_element(By.CSS_SELECTOR, "h1").text.replace("Hồ sơ ", "")
    files = [f for f in api(server, f"/api/v1/dossiers/{second}", desk)["files"] if f.get("component") == 2]
    assert len(files) == 1, files
    phone.get(server + "/ho-so-cua-toi/kho-du-lieu")
    wait_for(phone, "Kết quả " + files[0]["fileName"])
    fits(phone)

    # 7. and 8. Logged out: the lookup, and the rating once.
    phone.delete_all_cookies()
    phone.get(server + f"/tra-cuu?code={code}&secret={secret}")
    wait_for(phone, "Đã trả kết quả")
    click(phone, "//a[.='Đánh giá mức độ hài lòng']")
    wait_for(phone, "Gửi đánh giá")
    for selector in ["input[name=overall][value=very_satisfied]", "input[name=convenience][value='1']",
                     "input[name=attitude][value='1']"]:
        phone.execute_script("arguments[0].click()", phone.find_element(By.CSS_SELECTOR, selector))
    click(phone, "//button[.='Gửi đánh giá']")
    wait_for(phone, "Cảm ơn bạn đã đánh giá")
    fits(phone)
