"""Issue 22, points 1 and 10: the portal's catalogue as a citizen uses it, by keyboard and on a
phone, and axe-core's WCAG 2.1 A and AA rules on every portal page and the back office's main
pages, at 1366 px and at 390 px: 0 violations."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from accessibility import axe_violations, chrome
from test_pages import PASSWORD, login, receive_at_desk, wait_for

PORTAL = ["/", "/thu-tuc", "/thu-tuc?q=ly%20lich&level=tinh", "/thu-tuc/1.001978.000.00.00.H28", "/tra-cuu",
          "/dang-nhap"]
# Each role's main pages (the left menu's first entries and the dossier's page).
BACK_OFFICE = {
    "stp.tiepnhan": ["/trang-chu", "/tiep-nhan", "/ho-so", "/so-theo-doi"],
    "stp.hctp.truongphong": ["/phan-cong", "/ho-so?step=awaiting_review&sort=due_at", "/thong-ke"],
    "stp.lanhdao": ["/ho-so?waiting=leader", "/thong-ke/bao-cao"],
    "quantri": ["/quan-tri/nguoi-dung", "/quan-tri/thu-tuc", "/quan-tri/co-quan", "/quan-tri/lich-lam-viec",
                "/tai-khoan"],
}


def violations_of(driver, server, path):
    driver.get(server + path)
    found = axe_violations(driver)
    return [f"{path}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}" for v in found]


@pytest.mark.parametrize("width", [1366, 390])
def test_portal_and_main_pages_have_no_wcag_violation(server, width):
    driver = chrome(width)
    try:
        problems = []
        for path in PORTAL:
            problems += violations_of(driver, server, path)
        code, secret = receive_at_desk(server, "Phạm Thị Thu", "079199000123", "Phường Vị Tân")
        problems += violations_of(driver, server, f"/tra-cuu?code={code}&secret={secret}")
        for username, paths in BACK_OFFICE.items():
            driver.delete_all_cookies()
            login(driver, server, username)
            for path in paths + [f"/ho-so/{code}"]:
                problems += violations_of(driver, server, path)
        assert problems == []
    finally:
        driver.quit()


def test_a_citizen_finds_a_procedure_by_keyboard_on_a_phone(server, phone):
    phone.get(server + "/")
    search = phone.find_element(By.NAME, "q")
    search.send_keys("ly lich tu phap", Keys.ENTER)
    wait_for(phone, "Tìm thấy 2 thủ tục")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390
    # Every cell of the list inside the viewport.
    for cell in phone.find_elements(By.CSS_SELECTOR, "table.list td"):
        rect = phone.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right];", cell)
        assert rect[0] >= 0 and rect[1] <= 390, cell.text
    link = phone.find_element(By.LINK_TEXT,
                              "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam")
    link.send_keys(Keys.ENTER)
    wait_for(phone, "Thành phần hồ sơ")
    text = phone.find_element(By.TAG_NAME, "main").text
    for expected in ["10 ngày làm việc", "200.000 đồng", "Toàn trình", "Sở Tư pháp", "Phiếu lý lịch tư pháp"]:
        assert expected in text
    # Filters by keyboard: the folded criteria open, a level is chosen, the list narrows.
    phone.get(server + "/thu-tuc")
    summary = phone.find_element(By.CSS_SELECTOR, "details.filters-inline summary")
    summary.send_keys(Keys.ENTER)
    level = phone.find_element(By.NAME, "level")
    level.send_keys("Cấp xã")
    level.submit()
    wait_for(phone, "Cấp xã")
    assert "level=xa" in phone.current_url
