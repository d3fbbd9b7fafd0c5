"""The demo city of Cần Thơ and its history (issue 24): a dossier received in 2024 by a district
abolished on 1 July 2025 stays under it; the II.06a of 2025, cut by both closures, has the same
totals as the agencies were and grouped under their successors."""
from urllib.parse import quote

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from test_pages import login, wait_for


def test_a_2024_dossier_of_chau_thanh_a_stays_under_its_old_agency(browser, server):
    browser.delete_all_cookies()
    login(browser, server, "lanhdaotinh")
    browser.get(server + "/ho-so")
    select = browser.find_element(By.NAME, "agency")
    option = next(o for o in select.find_elements(By.TAG_NAME, "option") if "UBND huyện Châu Thành A" in o.text)
    option.click()
    for name, value in (("from", "01/01/2024"), ("to", "31/12/2024")):
        field = browser.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    WebDriverWait(browser, 15).until(lambda b: "from=01%2F01%2F2024" in b.current_url)
    link = browser.find_element(By.CSS_SELECTOR, "table a[href^='/ho-so/000.00.24.H28-24']")
    code = link.text.strip()
    link.click()
    wait_for(browser, code)
    page = browser.page_source
    assert "UBND huyện Châu Thành A" in page
    assert "/2024" in page
    assert "Đăng xuất" in page


def totals(browser, server, query):
    browser.get(server + "/thong-ke?" + query)
    wait_for(browser, "Tổng cộng")
    row = browser.find_element(By.CSS_SELECTOR, "table.report tr.total")
    return [cell.text for cell in row.find_elements(By.TAG_NAME, "td")][1:]


def test_the_ii06a_of_2025_has_equal_totals_both_ways(browser, server):
    browser.delete_all_cookies()
    login(browser, server, "lanhdaotinh")
    period = "tu-ngay=" + quote("01/01/2025", safe="") + "&den-ngay=" + quote("31/12/2025", safe="")
    as_they_were = totals(browser, server, period)
    rows = len(browser.find_elements(By.CSS_SELECTOR, "table.report tbody tr"))
    grouped = totals(browser, server, period + "&gop=1")
    assert "UBND huyện Châu Thành A" not in browser.find_element(By.CSS_SELECTOR, "table.report").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.report tbody tr")) < rows
    assert as_they_were == grouped
    assert any(int(cell.replace(".", "") or 0) > 0 for cell in as_they_were if cell.replace(".", "").isdigit())
