"""axe-core in the browser tests: the WCAG 2.1 A and AA rules of axe.min.js 4.12, as PyPI's
axe-playwright-python wheel ships it (scripts/test installs it without its dependencies: only the
script is used), injected through selenium."""
import importlib.util
import os
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_script():
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None:
        raise RuntimeError("axe-playwright-python is not installed: python3 -m pip install --no-deps axe-playwright-python")
    with open(os.path.join(os.path.dirname(spec.origin), "axe.min.js"), encoding="utf-8") as f:
        return f.read()


def axe_violations(driver):
    """The page's violations of the WCAG 2.1 A and AA rules."""
    driver.execute_script(axe_script())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));",
        WCAG21_AA)
    return result


def chrome(width):
    """Headless Chromium at 1366 px, or a 390-pixel phone (device metrics, so media queries see it)."""
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=vi"]:
        options.add_argument(arg)
    if width < 600:
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": width, "height": 844, "pixelRatio": 2}})
    else:
        options.add_argument(f"--window-size={width},768")
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
