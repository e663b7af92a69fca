#!/usr/bin/env python3
"""Start-up time and resident memory of `sinmun serve` on a large database (issue 6, item 5).

    bench/startup/startup.py BIN DEMO_DB WORKDIR [--articles 100000] [--runs 3] [--idle 1000]

1. Builds WORKDIR/big.db from a copy of a demo database (DEMO_DB): its published articles are
   copied over and over in ONE transaction (sqlite3 module, a recursive CTE) until the database
   holds --articles articles, with distinct ids and publication times.
2. Runs `BIN serve` (not --demo) on it --runs times and times exec → first 200 on GET / (polled
   every 1 ms on a fresh connection; the clock starts just before exec).
3. Keeps the last server running, opens --idle keep-alive connections that each fetch a different
   article once and then stay idle, and reads VmRSS/VmHWM from /proc/PID/status.
Prints `key value` lines that bench/run puts into its table.
"""
import argparse, os, resource, socket, sqlite3, statistics, subprocess, sys, time, shutil


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def make_db(binary, demo_db, path, n):
    shutil.copy(demo_db, path)
    for ext in ("-wal", "-shm"):
        if os.path.exists(demo_db + ext):
            shutil.copy(demo_db + ext, path + ext)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    # The search index's triggers call SQL functions that only sinmun registers (the C++
    # tokenizer). Stand-ins index nothing during the bulk copy; `sinmun reindex` then rebuilds
    # the whole index with the real tokenizer, so the database is what Sinmun itself would hold.
    db.create_function("sinmun_search_text", 1, lambda _text: "", deterministic=True)
    db.create_function("sinmun_search_markdown", 1, lambda _text: "", deterministic=True)
    cur = db.execute("SELECT count(*), max(id) FROM articles")
    have, max_id = cur.fetchone()
    cols = [r[1] for r in db.execute("PRAGMA table_info(articles)")]
    copy_cols = [c for c in cols if c not in ("id", "published_at", "pin_rank", "external_id",
                                              "views")]
    src = db.execute("SELECT count(*) FROM articles WHERE status='published'").fetchone()[0]
    need = n - have
    t0 = time.time()
    if need > 0:
        sel = ", ".join("a." + c for c in copy_cols)
        db.execute("BEGIN")
        # k-th copy: article (k mod src) of the published ones, id max_id+k, an older time.
        db.execute(f"""
            WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {need}),
                 src AS (SELECT row_number() OVER (ORDER BY id) - 1 AS r, * FROM articles
                         WHERE status = 'published')
            INSERT INTO articles (id, published_at, {", ".join(copy_cols)})
            SELECT {max_id} + k.i, a.published_at - k.i * 60000, {sel}
            FROM k JOIN src a ON a.r = k.i % {src}""")
        db.execute("""
            INSERT INTO article_authors (article_id, author_id, position)
            SELECT a.id, (SELECT min(id) FROM authors), 0 FROM articles a
            WHERE a.id > ? """, (max_id,))
        db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    if need > 0:
        subprocess.run([binary, "reindex", "--db", path], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return total, time.time() - t0, max_id


def get(port, path, sock=None):
    own = sock is None
    if own:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    if own:
        sock.close()
    return status


def start(binary, db, workdir, port):
    log = open(os.path.join(workdir, "startup-server.log"), "ab")
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, "serve", "--db", db, "--listen", f"127.0.0.1:{port}",
                          "--config", os.path.join(workdir, "startup.toml")],
                         stdout=log, stderr=log, cwd=workdir)
    deadline = t0 + 30
    while time.perf_counter() < deadline:
        try:
            if get(port, "/") == 200:
                return p, (time.perf_counter() - t0) * 1000, cpu_ms(p.pid)
        except OSError:
            pass
        if p.poll() is not None:
            raise SystemExit(f"server exited with {p.returncode}; see {workdir}/startup-server.log")
        time.sleep(0.001)
    p.kill()
    raise SystemExit("server did not answer GET / within 30 s")


def cpu_ms(pid):
    """User + system CPU the process has used so far: on a shared, loaded machine the wall time
    to the first page is mostly waiting for a core; this is the work itself."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("demo_db")
    ap.add_argument("workdir")
    ap.add_argument("--articles", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--idle", type=int, default=1000)
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, a.idle + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    with open(os.path.join(a.workdir, "startup.toml"), "w") as f:
        f.write("[server]\naccess_log = false\n")
    db = os.path.join(a.workdir, "big.db")
    total, secs, first_new = make_db(a.binary, a.demo_db, db, a.articles)
    print(f"db_articles {total}")
    print(f"db_build_s {secs:.1f}")
    print(f"db_bytes {os.path.getsize(db)}")
    times = []
    cpus = []
    p = None
    for i in range(a.runs):
        port = free_port()
        p, ms, cpu = start(a.binary, db, a.workdir, port)
        times.append(ms)
        cpus.append(cpu)
        if i + 1 < a.runs:
            p.terminate()
            p.wait()
    print("startup_ms " + " ".join(f"{t:.0f}" for t in times))
    print(f"startup_ms_median {statistics.median(times):.0f}")
    print("startup_cpu_ms " + " ".join(f"{t:.0f}" for t in cpus))
    print(f"startup_cpu_ms_median {statistics.median(cpus):.0f}")
    rss0 = status_kb(p.pid, "VmRSS")
    socks = []
    ok = 0
    for i in range(a.idle):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        if get(port, f"/article/{first_new + 1 + i}", s) == 200:
            ok += 1
        socks.append(s)
    time.sleep(0.5)
    alive = p.poll() is None
    print(f"idle_connections {len(socks)} ({ok} answered 200, server alive: {alive})")
    print(f"rss_before_idle_mib {rss0 / 1024:.1f}")
    print(f"rss_idle_mib {status_kb(p.pid, 'VmRSS') / 1024:.1f}")
    print(f"hwm_mib {status_kb(p.pid, 'VmHWM') / 1024:.1f}")
    for s in socks:
        s.close()
    p.terminate()
    p.wait()


if __name__ == "__main__":
    main()
