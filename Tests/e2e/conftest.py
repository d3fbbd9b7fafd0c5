"""Browser tests: a real `motcua serve` on a fresh SQLite database with a small demo province,
driven through Debian's headless Chromium by selenium."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
import sso_standin
import vnpay_sandbox
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.path.join(ROOT, ".build", "debug", "motcua")
# The key the server shares with the payment platform (test_payment signs its notices with it).
PAYMENT_SECRET = "e2e-khoa-paygov"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def vnpay():
    """VNPay's stand-in, which the server sends citizens to (MOTCUA_VNPAY_PAY_URL)."""
    sandbox = vnpay_sandbox.Sandbox()
    yield sandbox
    sandbox.stop()


class Inbox:
    """The province's mail relay, as aiosmtpd (PyPI) on loopback: every message the server sends."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        self.messages = []
        inbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                import email
                import email.policy
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                inbox.messages.append({"to": envelope.rcpt_tos, "subject": str(message["subject"]),
                                       "body": message.get_content()})
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def wait(self, to, subject_part, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for m in reversed(self.messages):
                if to in m["to"] and subject_part in m["subject"]:
                    return m
            time.sleep(0.5)
        raise AssertionError(f"no e-mail '{subject_part}' to {to}: {[m['subject'] for m in self.messages]}")


@pytest.fixture(scope="session")
def inbox():
    relay = Inbox()
    yield relay
    relay.controller.stop()


@pytest.fixture(scope="session")
def sso():
    """The national portal's SSO stand-in, where the login page's VNeID button leads (MOTCUA_SSO_URL)."""
    stand_in = sso_standin.StandIn()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="session")
def server(vnpay, inbox, sso):
    data = tempfile.mkdtemp(prefix="motcua-e2e-")
    port = free_port()
    log = open(os.path.join(data, "server.log"), "w")
    # Started outside the checkout: the server finds its templates from its own location.
    proc = subprocess.Popen([BINARY, "serve", "--port", str(port), "--data-dir", data, "--demo-dossiers", "150"],
                            cwd=data, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "MOTCUA_PAYMENT_SECRET": PAYMENT_SECRET,
                                 "MOTCUA_VNPAY_TMN_CODE": vnpay_sandbox.TERMINAL,
                                 "MOTCUA_VNPAY_HASH_SECRET": vnpay_sandbox.SECRET,
                                 "MOTCUA_VNPAY_PAY_URL": vnpay.pay_url,
                                 "MOTCUA_SMTP_HOST": "127.0.0.1", "MOTCUA_SMTP_PORT": str(inbox.port),
                                 "MOTCUA_SMTP_SECURITY": "none", "MOTCUA_SMTP_FROM": "motcua@cantho.gov.vn",
                                 "MOTCUA_SSO_URL": sso.base, "MOTCUA_SSO_CLIENT_ID": sso_standin.CLIENT_ID,
                                 "MOTCUA_SSO_CLIENT_SECRET": sso_standin.CLIENT_SECRET})
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/openapi.yaml", timeout=2)
            break
        except Exception:
            if proc.poll() is not None:
                raise RuntimeError(open(os.path.join(data, "server.log")).read())
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("server did not start")
    vnpay.ipn_url = base + "/api/v1/payments/vnpay/ipn"
    yield base
    proc.terminate()
    proc.wait(timeout=20)
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=vi"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def phone():
    """A 390-pixel phone (device metrics, so the viewport really is 390 px wide)."""
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=vi"]:
        options.add_argument(arg)
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2}})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def api(base, path, token=None, body=None):
    request = urllib.request.Request(base + path, method="POST" if body is not None else "GET")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    data = None
    if body is not None:
        request.add_header("Content-Type", "application/json")
        data = json.dumps(body).encode()
    with urllib.request.urlopen(request, data) as response:
        return json.loads(response.read())
