"""A stand-in for the national portal's SSO (xác thực qua Cổng Dịch vụ công quốc gia, VNeID) for the
browser tests, written from its protocol with its own code: OAuth 2.0 authorization code with PKCE
(S256, checked at the token endpoint), the client's secret in the token request's body,
introspection, userinfo as a POST with the bearer token, and a logout page. Its login page asks
the citizen to agree or refuse, as the real one does after VNeID."""
import base64
import hashlib
import html
import json
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLIENT_ID = "motcua-e2e"
CLIENT_SECRET = "e2e-bi-mat-sso-2026"
CITIZEN = {"LoaiTaiKhoan": 1, "SoDinhDanh": "092196004455", "SoCMND": "", "TechID": "vneid-e2e-4455",
           "HoVaTen": "Phan Thị Ngọc Hân", "ThuDienTu": "ngochan.sso@example.vn", "SoDienThoai": "0939445566"}


def s256(verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


class StandIn:
    def __init__(self):
        self.grants = {}
        self.tokens = {}
        self.logged_out = 0
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body, content_type="text/html; charset=utf-8", headers=()):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def json(self, status, value):
                self.answer(status, json.dumps(value), "application/json")

            def page(self, title, body):
                return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" '
                        f'content="width=device-width"><title>{title}</title></head><body><main><h1>{title}</h1>'
                        f"{body}</main></body></html>")

            def do_GET(self):
                path, _, query = self.path.partition("?")
                q = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
                if path == "/oauth2/authorize":
                    if (q.get("client_id") != CLIENT_ID or q.get("response_type") != "code" or q.get("scope") != "openid"
                            or q.get("acr_values") != "LoA1" or q.get("code_challenge_method") != "S256"
                            or not q.get("state") or not q.get("nonce") or not q.get("code_challenge")):
                        return self.answer(400, self.page("Yêu cầu không hợp lệ", ""))
                    code = secrets.token_urlsafe(24)
                    stand_in.grants[code] = {"challenge": q["code_challenge"], "nonce": q["nonce"],
                                             "redirect": q["redirect_uri"]}
                    back = q["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": q["state"]})
                    deny = q["redirect_uri"] + "?" + urllib.parse.urlencode(
                        {"error": "access_denied", "error_description": "User denied", "state": q["state"]})
                    return self.answer(200, self.page(
                        "Đăng nhập bằng VNeID",
                        f"<p>Cho phép {html.escape(CLIENT_ID)} dùng thông tin định danh của {CITIZEN['HoVaTen']}?</p>"
                        f'<p><a id="dong-y" href="{html.escape(back)}">Đồng ý</a> '
                        f'<a id="tu-choi" href="{html.escape(deny)}">Từ chối</a></p>'))
                if path == "/oauth2/logout":
                    stand_in.logged_out += 1
                    back = html.escape(q.get("post_logout_redirect_uri", "/"))
                    return self.answer(200, self.page("Đã đăng xuất khỏi Cổng Dịch vụ công quốc gia",
                                                      f'<p><a href="{back}">Quay lại</a></p>'))
                self.answer(404, self.page("Không tìm thấy", ""))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if self.path == "/oauth2/token":
                    if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
                        return self.json(401, {"error": "invalid_client"})
                    grant = stand_in.grants.pop(form.get("code", ""), None)
                    if (not grant or form.get("grant_type") != "authorization_code"
                            or form.get("redirect_uri") != grant["redirect"]
                            or s256(form.get("code_verifier", "")) != grant["challenge"]):
                        return self.json(400, {"error": "invalid_grant"})
                    token = secrets.token_urlsafe(24)
                    stand_in.tokens[token] = grant
                    return self.json(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})
                if self.path == "/oauth2/introspect":
                    grant = stand_in.tokens.get(form.get("token", ""))
                    if not grant or form.get("client_secret") != CLIENT_SECRET:
                        return self.json(200, {"active": False})
                    return self.json(200, {"active": True, "client_id": CLIENT_ID, "nonce": grant["nonce"]})
                if self.path == "/oauth2/userinfo":
                    token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                    if token not in stand_in.tokens:
                        return self.json(401, {"error": "invalid_token"})
                    return self.json(200, CITIZEN)
                self.json(404, {"error": "not_found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
