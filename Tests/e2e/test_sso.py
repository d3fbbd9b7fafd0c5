"""Login through the national portal's SSO (issue 25's acceptance), against its stand-in: a citizen
logs in with VNeID, finds the forms filled from what the portal returned, submits a dossier and
logs out of both; a forged state and a refusal at the SSO are told in Vietnamese and log no one in."""
import re

from selenium.webdriver.common.by import By

import sso_standin
from test_pages import wait_for
from test_portal import PROCEDURE, click, fits, save_draft_with_card


def test_a_citizen_logs_in_through_the_sso_and_submits(phone, server, sso, tmp_path):
    phone.delete_all_cookies()
    phone.get(server + "/dang-nhap")
    fits(phone)
    click(phone, "//a[contains(., 'Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia')]")
    wait_for(phone, "Đăng nhập bằng VNeID")
    phone.find_element(By.ID, "dong-y").click()
    wait_for(phone, "Trang chủ")
    assert "Phan Thị Ngọc Hân" in phone.page_source

    # The portal's forms are filled from what the SSO returned.
    phone.get(server + f"/thu-tuc/{PROCEDURE}")
    click(phone, "//main//a[@class='button' and .='Nộp hồ sơ trực tuyến']")
    wait_for(phone, "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp")
    assert phone.find_element(By.NAME, "a_name").get_attribute("value") == "Phan Thị Ngọc Hân"
    assert phone.find_element(By.NAME, "a_idNumber").get_attribute("value") == sso_standin.CITIZEN["SoDinhDanh"]
    assert phone.find_element(By.NAME, "a_email").get_attribute("value") == sso_standin.CITIZEN["ThuDienTu"]
    save_draft_with_card(phone, sso_standin.CITIZEN["SoDinhDanh"], tmp_path, "CCCD Phan Thi Ngoc Han")
    click(phone, "//button[.='Nộp hồ sơ']")
    wait_for(phone, "Đã nộp hồ sơ. Mã hồ sơ")
    assert re.search(r"Hồ sơ \S+-\d{6}-\d{4}", phone.find_element(By.CSS_SELECTOR, "h1").text)

    # Logging out ends the SSO's session too.
    before = sso.logged_out
    phone.execute_script("arguments[0].click()", phone.find_element(By.XPATH, "//button[.='Đăng xuất']"))
    wait_for(phone, "Đã đăng xuất khỏi Cổng Dịch vụ công quốc gia")
    assert sso.logged_out == before + 1


def test_a_forged_state_and_a_refusal_log_no_one_in(browser, server, sso):
    browser.delete_all_cookies()
    # A callback this browser did not begin (a forged state): refused.
    browser.get(server + "/dang-nhap/dvcqg/ve?code=abc&state=gia-mao")
    wait_for(browser, "mã state không khớp")
    assert browser.find_elements(By.NAME, "password")
    # Begun here, but the state changed on the way back: refused, and the code is not used.
    browser.get(server + "/dang-nhap/dvcqg")
    wait_for(browser, "Đăng nhập bằng VNeID")
    href = browser.find_element(By.ID, "dong-y").get_attribute("href")
    browser.get(re.sub(r"state=[^&]+", "state=khac", href))
    wait_for(browser, "mã state không khớp")
    browser.get(server + "/ho-so-cua-toi")
    assert "Phan Thị Ngọc Hân" not in browser.page_source
    # Refused at the SSO.
    browser.get(server + "/dang-nhap/dvcqg")
    wait_for(browser, "Đăng nhập bằng VNeID")
    browser.find_element(By.ID, "tu-choi").click()
    wait_for(browser, "không đồng ý đăng nhập")
