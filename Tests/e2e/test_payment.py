"""A fee paid online, through the pages and the payment platform's notice: the desk asks for the
fee from the dossier's page ("Yêu cầu thực hiện nghĩa vụ tài chính"), the desk's own form offers
only cash and transfer, the platform's signed notice records the online payment (a second copy
records nothing), and the applicant sees it in the public lookup."""
import hashlib
import hmac
import json
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import PAYMENT_SECRET
from test_flow import act, as_user
from test_pages import receive_at_desk, wait_for


def notify(server, body, secret=PAYMENT_SECRET):
    data = json.dumps(body).encode()
    request = urllib.request.Request(server + "/api/v1/payments/notify", data=data, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Payment-Signature", "sha256=" + hmac.new(secret.encode(), data, hashlib.sha256).hexdigest())
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_fee_requested_at_the_desk_and_paid_online(browser, server):
    code, secret = receive_at_desk(server, "Đỗ Minh Khôi", "092195004567", "Phường III, thành phố Vị Thanh")
    as_user(browser, server, "stp.tiepnhan")
    act(browser, server, code, "request_payment", amount="200000", opinion="Nộp phí cấp Phiếu lý lịch tư pháp")
    assert "Chờ thanh toán 200.000 đồng" in browser.page_source

    # The desk's confirmation offers cash and transfer, never "online".
    box = browser.find_element(By.ID, "thao-tac-confirm_payment")
    box.find_element(By.TAG_NAME, "summary").click()
    methods = [o.get_attribute("value") for o in Select(box.find_element(By.NAME, "paymentMethod")).options]
    assert methods == ["cash", "transfer"]

    # A forged notice is refused; the platform's is recorded once.
    notice = {"dossierCode": code, "transactionId": "PG-E2E-0001", "amount": 200000}
    assert notify(server, notice, secret="khoa-gia")[0] == 401
    status, answer = notify(server, notice)
    assert status == 200 and answer["recorded"] is True, answer
    status, answer = notify(server, notice)
    assert status == 200 and answer["recorded"] is False, answer

    browser.get(server + f"/ho-so/{code}")
    wait_for(browser, "Chờ bàn giao")
    assert "Thanh toán trực tuyến, biên lai PG-E2E-0001" in browser.page_source
    assert "thao-tac-confirm_payment" not in browser.page_source

    browser.delete_all_cookies()
    browser.get(server + f"/tra-cuu?code={code}&secret={secret}")
    wait_for(browser, "Đã thanh toán 200.000 đồng")
