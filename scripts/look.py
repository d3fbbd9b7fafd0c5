#!/usr/bin/env python3
"""Looks at pages as a user would: a screenshot at 1366x768 and at a 390-pixel phone, and
axe-core's WCAG 2.1 A and AA rules run on each (axe.min.js 4.12 from PyPI's axe-playwright-python).

    scripts/look.py http://127.0.0.1:8080 /thu-tuc /thu-tuc/1.001978.000.00.00.H28 \
        [--login stp.tiepnhan] [--out docs/screenshots] [--name thu-tuc]

Prints each page's violations; exits 1 if any.
"""
import argparse
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "e2e"))
from accessibility import axe_violations, chrome  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--login")
    parser.add_argument("--password", default="MotCua@2026")
    parser.add_argument("--out", default="/tmp/look")
    parser.add_argument("--name", action="append", default=[])
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    failed = False
    for width, suffix in [(1366, ""), (390, "-dien-thoai")]:
        driver = chrome(width)
        try:
            if args.login:
                driver.get(args.base + "/dang-nhap")
                driver.find_element("name", "username").send_keys(args.login)
                driver.find_element("name", "password").send_keys(args.password)
                driver.find_element("css selector", "main form button[type=submit]").click()
            for i, path in enumerate(args.paths):
                driver.get(args.base + path)
                name = args.name[i] if i < len(args.name) else path.strip("/").replace("/", "_") or "trang-chu"
                file = os.path.join(args.out, name + suffix + ".png")
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(width, min(max(height, 768 if width > 400 else 844), 4000))
                driver.save_screenshot(file)
                violations = axe_violations(driver)
                failed |= bool(violations)
                print(f"{file}: {len(violations)} violations")
                for v in violations:
                    print("  ", v["id"], v["help"], [n["target"] for n in v["nodes"]][:5])
        finally:
            driver.quit()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
