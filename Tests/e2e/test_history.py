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
    # The list's criteria (folded on the page): the closed district is among the agencies to choose.
    select = browser.find_element(By.NAME, "agency")
    option = next(o for o in select.find_elements(By.TAG_NAME, "option")
                  if o.get_attribute("textContent").strip() == "UBND huyện Châu Thành A")
    query = "agency=" + option.get_attribute("value") + "&from=" + quote("01/01/2024", safe="") \
        + "&to=" + quote("31/12/2024", safe="")
    browser.get(server + "/ho-so?" + query)
    wait_for(browser, "Tổng số")
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
