"""A fee paid through VNPay on a 390-pixel phone: the public lookup's button sends the citizen to
VNPay (the stand-in in vnpay_sandbox.py, which checks our signature), VNPay's IPN records the
payment, the citizen comes back to a page that says it is recorded, and forged, replayed and
wrong-amount IPNs are answered 97 / 02 / 04 with nothing changed."""
import json
import urllib.request

from selenium.webdriver.common.by import By

from accessibility import axe_violations
from conftest import api
from test_pages import PASSWORD, receive_at_desk, wait_for


def ipn(server, query):
    with urllib.request.urlopen(server + "/api/v1/payments/vnpay/ipn?" + query) as response:
        return json.loads(response.read())["RspCode"]


def test_a_citizen_pays_the_fee_through_vnpay_on_a_phone(phone, server, vnpay):
    token = api(server, "/api/v1/login", body={"username": "stp.tiepnhan", "password": PASSWORD})["token"]
    code, secret = receive_at_desk(server, "Phan Thị Mỹ Duyên", "092196007788", "Phường IV, thành phố Vị Thanh", token)
    version = api(server, f"/api/v1/dossiers/{code}", token)["dossier"]["version"]
    api(server, f"/api/v1/dossiers/{code}/actions/request_payment", token, {"version": version, "amount": 200000})
    log_before = len(api(server, f"/api/v1/dossiers/{code}", token)["log"])

    phone.delete_all_cookies()
    phone.get(server + f"/tra-cuu?code={code}&secret={secret}")
    wait_for(phone, "Thanh toán trực tuyến qua VNPay")
    assert "200.000 đồng" in phone.page_source
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390
    assert axe_violations(phone) == []
    phone.find_element(By.XPATH, "//button[contains(., 'qua VNPay')]").click()

    # On VNPay's page (it refused nothing: our signature is right), the citizen pays.
    wait_for(phone, "Cổng thanh toán VNPay")
    assert "200,000 VND" in phone.page_source and code in phone.page_source
    phone.find_element(By.ID, "thanh-toan").click()
    wait_for(phone, "Kết quả thanh toán")
    assert "Giao dịch thành công" in phone.page_source and "Đã ghi nhận khoản phí" in phone.page_source
    assert vnpay.ipn_answers and json.loads(vnpay.ipn_answers[-1])["RspCode"] == "00"
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390
    assert axe_violations(phone) == []

    phone.get(server + f"/tra-cuu?code={code}&secret={secret}")
    wait_for(phone, "Đã thanh toán 200.000 đồng")
    assert "VNPay 14600001" in phone.page_source

    # Forged, replayed and wrong-amount IPNs: answered, nothing changes.
    order = list(vnpay.orders.values())[-1]
    assert ipn(server, vnpay.result(order, secret="khoa-gia-mao")) == "97"
    assert ipn(server, vnpay.result(order)) == "02"
    assert ipn(server, vnpay.result(order, amount="100")) == "04"
    assert len(api(server, f"/api/v1/dossiers/{code}", token)["log"]) == log_before + 1
