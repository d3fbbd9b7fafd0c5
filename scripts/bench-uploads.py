#!/usr/bin/env python3
"""Large uploads must not stall the server (issue 7, item 6). Starts `motcua serve` (a release build
by default) on a fresh database, measures a trivial request (the public lookup of a dossier) alone,
then again while N uploads of M MB run at once, and prints upload times and the lookup's
p50 / p95 / max side by side.

    swift build -c release --product motcua
    scripts/bench-uploads.py [--binary .build/release/motcua] [--uploads 2] [--mb 20]
"""
import argparse, json, os, shutil, socket, statistics, subprocess, tempfile, threading, time, urllib.request, uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def big_pdf(mb, tag):
    """A well-formed PDF of about `mb` megabytes (one large stream), with a correct xref."""
    payload = (tag.encode() + b" ") * (mb * 1024 * 1024 // (len(tag) + 1))
    parts, offsets = [b"%PDF-1.4\n"], []
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream"]
    for i, o in enumerate(objects):
        offsets.append(sum(map(len, parts)))
        parts.append(b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n")
    xref = sum(map(len, parts))
    parts.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    parts.append(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return b"".join(parts)


def request(url, data=None, headers=None, timeout=300):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "motcua"))
    parser.add_argument("--uploads", type=int, default=2)
    parser.add_argument("--mb", type=int, default=20)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="motcua-upload-bench-")
    port = socket.socket(); port.bind(("127.0.0.1", 0)); port_number = port.getsockname()[1]; port.close()
    env = dict(os.environ, MOTCUA_MAX_UPLOAD_MB=str(args.mb + 1))
    server = subprocess.Popen([args.binary, "serve", "--port", str(port_number), "--data-dir", data, "--demo-dossiers", "50"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port_number}"
    try:
        for _ in range(300):
            try:
                request(base + "/openapi.yaml", timeout=2); break
            except Exception:
                time.sleep(0.5)
        _, body = request(base + "/api/v1/login", json.dumps({"username": "stp.tiepnhan", "password": "MotCua@2026"}).encode(),
                          {"Content-Type": "application/json"})
        token = json.loads(body)["token"]
        auth = {"Authorization": "Bearer " + token}
        new = {"procedureCode": "1.001978.000.00.00.H28", "channel": "direct",
               "applicant": {"kind": "person", "name": "Nguyễn Văn Ánh", "idNumber": "092012345678", "address": "Vị Thanh"}}
        _, body = request(base + "/api/v1/dossiers", json.dumps(new).encode(), {**auth, "Content-Type": "application/json"})
        created = json.loads(body)
        code, secret = created["dossier"]["code"], created["lookupSecret"]
        lookup = f"{base}/api/v1/lookup?code={code}&secret={secret}"

        def lookups(stop, out):
            while not stop.is_set():
                t = time.perf_counter()
                request(lookup, timeout=120)
                out.append(time.perf_counter() - t)
                time.sleep(0.05)

        # Alone.
        alone, stop = [], threading.Event()
        worker = threading.Thread(target=lookups, args=(stop, alone)); worker.start(); time.sleep(3); stop.set(); worker.join()

        files = [big_pdf(args.mb, f"ban-chup-{n}-{uuid.uuid4()}") for n in range(args.uploads)]
        durations, statuses = [0.0] * args.uploads, [0] * args.uploads

        def upload(n):
            boundary = "----motcua" + uuid.uuid4().hex
            body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ban-chup-{n}.pdf\"\r\n"
                    f"Content-Type: application/pdf\r\n\r\n").encode() + files[n] + f"\r\n--{boundary}--\r\n".encode()
            t = time.perf_counter()
            statuses[n], _ = request(f"{base}/api/v1/dossiers/{code}/files", body, {**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"})
            durations[n] = time.perf_counter() - t

        during, stop = [], threading.Event()
        worker = threading.Thread(target=lookups, args=(stop, during)); worker.start()
        started = time.perf_counter()
        threads = [threading.Thread(target=upload, args=(n,)) for n in range(args.uploads)]
        for t in threads: t.start()
        for t in threads: t.join()
        wall = time.perf_counter() - started
        stop.set(); worker.join()

        ms = lambda v: f"{v * 1000:.1f} ms"
        print(f"{args.uploads} uploads of {len(files[0]) / 1048576:.1f} MB at once: statuses {statuses}, "
              f"each {', '.join(f'{d:.2f} s' for d in durations)}, all done in {wall:.2f} s")
        print(f"lookup alone          ({len(alone):4d} requests): p50 {ms(statistics.median(alone))}, p95 {ms(percentile(alone, 95))}, max {ms(max(alone))}")
        print(f"lookup during uploads ({len(during):4d} requests): p50 {ms(statistics.median(during))}, p95 {ms(percentile(during, 95))}, max {ms(max(during))}")
    finally:
        server.terminate(); server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
