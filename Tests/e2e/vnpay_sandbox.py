"""A stand-in for VNPay's payment gateway (merchant protocol 2.1.0) for the browser tests, written
from VNPay's documentation with its own signing code: it checks the merchant's payment address,
shows a payment page, calls the merchant's IPN as VNPay's server does, then sends the browser back
to vnp_ReturnUrl with the signed result."""
import hashlib
import hmac
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TERMINAL = "E2EVNPAY"
SECRET = "e2e-bi-mat-vnpay-2026"


def php_urlencode(text):
    return urllib.parse.quote_plus(text, safe="").replace("~", "%7E")


def signed(params, secret=SECRET):
    """The query VNPay sends: the parameters, sorted and encoded, and their HMAC-SHA512."""
    text = "&".join(f"{php_urlencode(k)}={php_urlencode(v)}" for k, v in sorted(params.items())
                    if v and k not in ("vnp_SecureHash", "vnp_SecureHashType"))
    return text + "&vnp_SecureHash=" + hmac.new(secret.encode(), text.encode(), hashlib.sha512).hexdigest()


class Sandbox:
    def __init__(self):
        self.orders = {}
        self.ipn_url = None
        self.ipn_answers = []
        sandbox = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body, headers=()):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                path, _, query = self.path.partition("?")
                params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
                if path == "/paymentv2/vpcpay.html":
                    sent = params.get("vnp_SecureHash", "")
                    expected = signed(params).rsplit("=", 1)[1]
                    if not hmac.compare_digest(sent, expected) or params.get("vnp_TmnCode") != TERMINAL:
                        return self.answer(400, "<h1>Sai chữ ký</h1>")
                    sandbox.orders[params["vnp_TxnRef"]] = params
                    amount = int(params["vnp_Amount"]) // 100
                    ref = urllib.parse.quote(params["vnp_TxnRef"])
                    return self.answer(200, f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>VNPay sandbox</title></head><body>
<main><h1>Cổng thanh toán VNPay (sandbox)</h1><p>{params['vnp_OrderInfo']}</p>
<p id="so-tien">Số tiền: {amount:,} VND</p>
<p><a id="thanh-toan" href="/pay?ref={ref}&code=00">Thanh toán</a></p>
<p><a id="huy" href="/pay?ref={ref}&code=24">Huỷ giao dịch</a></p></main></body></html>""")
                if path == "/pay":
                    order = sandbox.orders[params["ref"]]
                    result = sandbox.result(order, params["code"])
                    with urllib.request.urlopen(sandbox.ipn_url + "?" + result) as response:
                        sandbox.ipn_answers.append(response.read().decode())
                    return self.answer(302, "", [("Location", order["vnp_ReturnUrl"] + "?" + result)])
                self.answer(404, "")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.pay_url = f"http://127.0.0.1:{self.port}/paymentv2/vpcpay.html"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def result(self, order, code="00", amount=None, secret=SECRET):
        paid = code == "00"
        return signed({
            "vnp_Amount": amount or order["vnp_Amount"], "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP2026" if paid else "",
            "vnp_CardType": "ATM", "vnp_OrderInfo": order["vnp_OrderInfo"], "vnp_PayDate": "20261203101500",
            "vnp_ResponseCode": code, "vnp_TmnCode": order["vnp_TmnCode"], "vnp_TransactionNo": "14600001" if paid else "0",
            "vnp_TransactionStatus": "00" if paid else "02", "vnp_TxnRef": order["vnp_TxnRef"],
        }, secret)

    def stop(self):
        self.httpd.shutdown()
