"""Two SMTP relays for the SMTP client's tests, on Python's aiosmtpd (PyPI): one asks for STARTTLS
and then a login (PLAIN or LOGIN), one speaks TLS from the first byte and offers LOGIN only. Each
message received is saved as JSON in OUT (envelope, decoded subject and body, TLS, login). A recipient
starting "tam-thoi" is answered 451 (try later), one starting "khong-ton-tai" 550 (no such user).

    python3 fake_smtp.py CERT KEY STARTTLS_PORT TLS_PORT OUT
"""
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import sys
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

cert, key, starttls_port, tls_port, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
USER, PASSWORD = b"motcua", "mật-khẩu-thư".encode()


class Saver:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # Mailboxes that answer like real relays do: busy for now (4xx), unknown for good (5xx).
        if address.startswith("tam-thoi"):
            return "451 4.3.0 Mailbox busy, try again later"
        if address.startswith("khong-ton-tai"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        record = {
            "from": envelope.mail_from, "to": envelope.rcpt_tos, "subject": str(message["subject"]),
            "sender": str(message["from"]), "body": message.get_content(),
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "login": getattr(session, "motcua_user", None),
            "transfer": message["content-transfer-encoding"], "raw": envelope.content.decode("ascii"),
        }
        with open(os.path.join(out, uuid.uuid4().hex + ".json"), "w") as f:
            json.dump(record, f, ensure_ascii=False)
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER and auth_data.password == PASSWORD
    if ok:
        session.motcua_user = auth_data.login.decode()
    # handled=False: aiosmtpd answers a failure with 535 itself.
    return AuthResult(success=ok, handled=False)


signal.signal(signal.SIGTERM, signal.SIG_DFL)
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
starttls = Controller(Saver(), hostname="127.0.0.1", port=starttls_port, tls_context=context, require_starttls=True,
                      authenticator=authenticator, auth_require_tls=True, server_hostname="localhost")
implicit = Controller(Saver(), hostname="127.0.0.1", port=tls_port, ssl_context=context, authenticator=authenticator,
                      auth_require_tls=False, auth_exclude_mechanism=["PLAIN"], server_hostname="localhost")
starttls.start()
implicit.start()
print("ready", flush=True)
try:
    asyncio.new_event_loop().run_until_complete(asyncio.sleep(600))
finally:
    starttls.stop()
    implicit.stop()
