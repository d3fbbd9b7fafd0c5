"""The province on several processes (issue 23): scripts/cluster with two MotCua instances behind
nginx over two PostgreSQL nodes run by Patroni and etcd (a primary and its synchronous streaming
replica), under a load of receptions and hand-overs through nginx:

- kill -9 of one instance loses no acknowledged action;
- a rolling restart of every instance fails no request;
- the primary's server is killed (its Patroni and PostgreSQL, kill -9) and Patroni promotes the
  replica: writes are refused with 503 and Retry-After (never 500) until it does, no acknowledged
  action is lost, the log verifies and the dossier codes stay unique; the lost node, started again,
  follows the new primary as its synchronous replica.

Each test prints its figures (python3 -m pytest -s shows them). The tests run in this order on
one cluster; the failover comes last.
"""

import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DIR = "/tmp/motcua-cluster-test"
BASE = "http://127.0.0.1:8100"


def cluster(*args):
    return subprocess.run([os.path.join(ROOT, "scripts", "cluster"), *args, "--dir", DIR],
                          check=True, capture_output=True, text=True, timeout=900)


def call(path, token=None, body=None, timeout=30):
    """(status, headers, JSON or text) of a request through nginx; a failed connection is status 0."""
    request = urllib.request.Request(BASE + path, method="POST" if body is not None else "GET")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    data = None
    if body is not None:
        request.add_header("Content-Type", "application/json")
        data = json.dumps(body).encode()
    try:
        with urllib.request.urlopen(request, data, timeout=timeout) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
        return 0, {}, str(error)


def psql(port, query):
    return subprocess.run(
        ["su", "postgres", "-s", "/bin/bash", "-c",
         f"psql -qtAX -h {DIR}/run -p {port} -d motcua -c \"{query}\""],
        check=True, capture_output=True, text=True).stdout.strip()


class Load:
    """Workers that receive dossiers at Sở Tư pháp's desk and hand them over, through nginx, and
    remember every answer: what was acknowledged (2xx) must be in the database afterwards."""

    def __init__(self, token, workers=6):
        self.token, self.workers = token, workers
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.received, self.handed_over = [], []
        self.answers = []  # (time, kind, status, retry_after)

    def note(self, kind, status, headers, started):
        with self.lock:
            self.answers.append((started, kind, status, headers.get("Retry-After"), time.monotonic() - started))

    def work(self, n):
        i = 0
        while not self.stop.is_set():
            i += 1
            started = time.monotonic()
            status, headers, body = call("/api/v1/dossiers", self.token, {
                "procedureCode": "1.001978.000.00.00.H28", "channel": "direct",
                "applicant": {"name": f"Nguyễn Văn Tải {n}-{i}", "idNumber": "092190009999",
                              "address": "Phường I, thành phố Vị Thanh"}})
            self.note("receive", status, headers, started)
            if status // 100 != 2:
                time.sleep(0.2)
                continue
            code, version = body["dossier"]["code"], body["dossier"]["version"]
            with self.lock:
                self.received.append(code)
            started = time.monotonic()
            status, headers, _ = call(f"/api/v1/dossiers/{code}/actions/hand_over", self.token,
                                      {"version": version})
            self.note("hand_over", status, headers, started)
            if status // 100 == 2:
                with self.lock:
                    self.handed_over.append(code)

    def __enter__(self):
        self.threads = [threading.Thread(target=self.work, args=(n,)) for n in range(self.workers)]
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=120)

    def statuses(self):
        counts = {}
        for _, _, status, _, _ in self.answers:
            counts[status] = counts.get(status, 0) + 1
        return counts


def assert_nothing_acknowledged_was_lost(load, port):
    """Every acknowledged reception is a dossier, every acknowledged hand-over a log entry, the
    codes are unique and every log chain verifies."""
    codes = set(load.received)
    assert len(codes) == len(load.received), "a code was given twice"
    stored = set(psql(port, "SELECT code FROM dossiers").split())
    missing = codes - stored
    assert not missing, f"{len(missing)} acknowledged receptions lost: {sorted(missing)[:5]}"
    handed = set(psql(port, "SELECT d.code FROM log_entries l JOIN dossiers d ON d.id = l.dossier_id "
                            "WHERE l.action = 'hand_over'").split())
    lost = set(load.handed_over) - handed
    assert not lost, f"{len(lost)} acknowledged hand-overs lost: {sorted(lost)[:5]}"
    duplicates = psql(port, "SELECT code FROM dossiers GROUP BY code HAVING count(*) > 1")
    assert duplicates == "", duplicates
    verify = subprocess.run(
        [os.environ.get("MOTCUA_BIN", os.path.join(ROOT, ".build", "debug", "motcua")), "verify-log",
         "--data-dir", DIR + "/data",
         "--database", f"postgres://motcua:motcua@127.0.0.1:{port}/motcua?tlsmode=disable"],
        capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    return len(codes), len(load.handed_over)


@pytest.fixture(scope="module")
def token():
    subprocess.run([os.path.join(ROOT, "scripts", "cluster"), "stop", "--dir", DIR], capture_output=True)
    cluster("start", "--instances", "2", "--demo-dossiers", "50")
    status, _, body = call("/api/v1/login", body={"username": "stp.tiepnhan", "password": "MotCua@2026"})
    assert status == 200, body
    yield body["token"]
    if not os.environ.get("MOTCUA_CLUSTER_KEEP"):  # kept to read its logs
        cluster("stop")


def test_through_nginx_the_lookup_limit_counts_the_real_client_and_ids_pass(token):
    """A client that names another address in X-Forwarded-For at each wrong lookup is still one
    client: nginx replaces the header with the address it saw, and the 21st is refused."""
    statuses = []
    for n in range(21):
        request = urllib.request.Request(f"{BASE}/api/v1/lookup?code=STP-999999-{n:04d}&secret=1234")
        request.add_header("X-Forwarded-For", f"198.51.100.{n}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    assert statuses[:20] == [404] * 20 and statuses[20] == 429, statuses
    # One address counted (the keys are hashed): nginx's view of the client, not the 21 forged ones.
    addresses = psql(5441, "SELECT count(*) FROM throttles WHERE throttle_key LIKE 'lookup-address:%'")
    assert addresses == "1", addresses
    # nginx's request id reaches the instance and comes back.
    status, headers, _ = call("/healthz")
    request_id = {k.lower(): v for k, v in headers.items()}.get("x-request-id", "")
    assert status == 200 and len(request_id) == 32, headers
    # nginx writes its access log line once the answer is sent.
    for _ in range(50):
        if request_id in open(f"{DIR}/nginx-access.log").read():
            break
        time.sleep(0.1)
    assert request_id in open(f"{DIR}/nginx-access.log").read()
    # MOTCUA_LOG_FORMAT=json: each log line of the instances is one JSON object.
    lines = [line for k in (1, 2) for line in open(f"{DIR}/instance-{k}.log") if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    assert records and all({"time", "level", "message"} <= set(r) for r in records), lines[:3]
    print(f"\nthrough nginx: 20 wrong lookups 404 then 429 whatever X-Forwarded-For said; request id {request_id}; "
          f"{len(records)} JSON log lines")


def test_reports_are_read_from_the_replica(token):
    """The summary report through nginx, as of a moment the replica had reached, read from it."""
    leader = call("/api/v1/login", body={"username": "lanhdaotinh", "password": "MotCua@2026"})[2]["token"]
    time.sleep(6)  # each instance measures the replica's lag every 5 s
    for _ in range(4):
        status, _, body = call("/api/v1/reports/summary?from=2026-01-01&to=2026-12-31&group=agency", leader)
        assert status == 200, body
    reads, lags = 0, []
    for port in (8101, 8102):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            for line in response.read().decode().splitlines():
                if line.startswith("motcua_replica_reads_total "):
                    reads += float(line.split()[1])
                if line.startswith("motcua_replica_lag_seconds "):
                    lags.append(float(line.split()[1]))
    assert reads >= 4 and lags and all(0 <= lag < 5 for lag in lags), (reads, lags)
    print(f"\nreports from the replica: {int(reads)} reads, lag {lags} s")


def test_motcua_bench_takes_dossiers_through_both_instances(token):
    """`motcua-bench transitions` (issue 23, point 9) against the two instances, briefly: every
    request answered, transitions and the trivial route counted, the log still verifies."""
    binary = os.environ.get("MOTCUA_BIN", os.path.join(ROOT, ".build", "debug", "motcua"))
    bench = subprocess.run(
        [os.path.join(os.path.dirname(binary), "motcua-bench"), "transitions", "--url", "http://127.0.0.1:8101",
         "--url", "http://127.0.0.1:8102", "--clients", "4", "--seconds", "2", "--rounds", "1", "--agencies", "2"],
        capture_output=True, text=True, timeout=300)
    assert bench.returncode == 0, bench.stdout + bench.stderr
    rates = [line for line in bench.stdout.splitlines() if line.startswith("lượt 1:")]
    assert rates and float(rates[0].split()[2]) > 0, bench.stdout
    assert "Sở Tư pháp" in bench.stdout and "reception" in bench.stdout, bench.stdout
    verify = subprocess.run(
        [binary, "verify-log", "--data-dir", DIR + "/data",
         "--database", "postgres://motcua:motcua@127.0.0.1:5441/motcua?tlsmode=disable"],
        capture_output=True, text=True, timeout=300)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    print("\nmotcua-bench transitions, 2 instances, 4 clients, 2 s:\n" + bench.stdout)


def test_kill_minus_nine_of_an_instance_loses_no_acknowledged_action(token):
    with Load(token) as load:
        time.sleep(4)
        cluster("kill-instance", "1")
        killed = time.monotonic()
        time.sleep(6)
    # After the kill nginx sends everything to instance 2: requests answered, none 500.
    after = [a for a in load.answers if a[0] > killed + 1]
    assert after and all(a[2] // 100 == 2 for a in after), load.statuses()
    assert 500 not in load.statuses(), load.statuses()
    received, handed = assert_nothing_acknowledged_was_lost(load, 5441)
    print(f"\nkill -9 of instance 1 under load: {received} receptions and {handed} hand-overs acknowledged, "
          f"answers {load.statuses()}, 0 lost")
    cluster("restart-instance", "1")


def test_a_rolling_restart_fails_no_request(token):
    with Load(token) as load:
        time.sleep(2)
        for k in ("1", "2"):
            cluster("restart-instance", k)
            time.sleep(2)
    statuses = load.statuses()
    assert set(statuses) <= {200, 201}, statuses
    received, handed = assert_nothing_acknowledged_was_lost(load, 5441)
    print(f"\nrolling restart of both instances under load: {received} receptions, {handed} hand-overs, "
          f"answers {statuses}")


def primary_node():
    """1 or 2: the node whose Patroni says it is the primary (None while there is none)."""
    for k in (1, 2):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{8440 + k}/primary", timeout=2):
                return k
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
    return None


def test_failover_to_the_replica_loses_no_acknowledged_action(token):
    assert primary_node() == 1
    with Load(token) as load:
        time.sleep(4)
        killed = time.monotonic()
        cluster("kill-primary")
        # Patroni on pg2 promotes it once pg1's leader key has expired in etcd (ttl 10 s).
        deadline = time.monotonic() + 90
        while primary_node() != 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        promoted = time.monotonic()
        assert primary_node() == 2, "Patroni did not promote pg2 within 90 s"
        # Writes come back: wait for 20 acknowledged after the promotion (60 s at most).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if sum(1 for a in load.answers if a[0] > promoted and a[2] // 100 == 2) >= 20:
                break
            time.sleep(0.5)
    statuses = load.statuses()
    assert 500 not in statuses, statuses
    # A request whose query was on its way to the primary when it died waits for the dead connection
    # (HAProxy keeps that session open, PostgresNIO has no per-query timeout): MotCua answers it 503
    # after MOTCUA_REQUEST_TIMEOUT (10 s in scripts/cluster), before the client gives up (30 s).
    unanswered = [a for a in load.answers if a[2] == 0]
    assert not unanswered, [(round(a[0] - killed, 1), a[1], round(a[4], 1)) for a in unanswered]
    timed_out = [a for a in load.answers if a[2] == 503 and a[4] >= 9]
    assert len(timed_out) <= load.workers and all(a[4] < 15 for a in timed_out), timed_out
    refused = [a for a in load.answers if a[0] >= killed and a[2] // 100 != 2 and a[2] != 0]
    assert all(a[2] == 503 and a[3] for a in refused), [a for a in refused if a[2] != 503 or not a[3]][:5]
    served_after = [a for a in load.answers if a[0] > promoted and a[2] // 100 == 2]
    assert len(served_after) >= 20, statuses
    first_refused = min((a[0] for a in refused), default=killed)
    last_refused = max((a[0] for a in refused), default=killed)
    received, handed = assert_nothing_acknowledged_was_lost(load, 5442)
    print(f"\nfailover (kill -9 of the primary's Patroni and PostgreSQL, Patroni promoting the replica): writes "
          f"refused with 503 for {last_refused - first_refused:.1f} s ({len(refused)} answers), "
          f"{promoted - killed:.1f} s from the kill to the promotion; {len(timed_out)} requests in flight at the "
          f"kill answered 503 by the request deadline; {received} receptions and {handed} hand-overs acknowledged, "
          f"0 lost, codes unique, log verified; answers {statuses}")
    # The lost node comes back: Patroni rewinds it and it follows pg2 as its synchronous replica,
    # with every dossier the new primary has.
    started = time.monotonic()
    assert cluster("rejoin").stdout.split() == ["pg1"]
    assert primary_node() == 2
    assert psql(5441, "SELECT pg_is_in_recovery()") == "t"
    count = psql(5442, "SELECT count(*) FROM dossiers")
    for _ in range(50):  # flushed before pg2 acknowledged, replayed a moment later
        if psql(5441, "SELECT count(*) FROM dossiers") == count:
            break
        time.sleep(0.2)
    assert psql(5441, "SELECT count(*) FROM dossiers") == count
    print(f"pg1 started again: a synchronous replica of pg2 after {time.monotonic() - started:.1f} s, "
          f"the same dossiers")
