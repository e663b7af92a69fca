#!/usr/bin/env python3
"""Publish/edit → new version served on the same node (issue 6, item 4).

    bench/http/edit_latency.py PORT TOKEN ARTICLE_ID [--repeats 20]

For each repeat: PATCH /api/v1/admin/articles/ID with a new title (bearer TOKEN, the admin JSON
API), then GET /article/ID (Accept-Encoding: identity, a fresh keep-alive connection kept for the
polling) every 1 ms until the page carries the new headline. Latency runs from just before the
PATCH is sent to the first GET that shows the new title, so it includes the PATCH round trip
(the SQLite commit) and the re-render. Prints `key value` lines.
"""
import argparse, http.client, json, statistics, sys, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("token")
    ap.add_argument("article", type=int)
    ap.add_argument("--repeats", type=int, default=20)
    a = ap.parse_args()
    api = http.client.HTTPConnection("127.0.0.1", a.port, timeout=10)
    page = http.client.HTTPConnection("127.0.0.1", a.port, timeout=10)
    hdr = {"Authorization": f"Bearer {a.token}", "Content-Type": "application/json"}
    api.request("GET", f"/api/v1/admin/articles/{a.article}", headers=hdr)
    r = api.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit(f"GET admin article: {r.status} {body[:200]!r}")
    original = json.loads(body)["title"]
    lat = []
    polls = []
    for i in range(a.repeats):
        marker = f"벤치 수정 {i + 1}-{time.monotonic_ns() % 100000}"
        title = f"{original} ({marker})"
        t0 = time.perf_counter()
        api.request("PATCH", f"/api/v1/admin/articles/{a.article}",
                    body=json.dumps({"title": title}).encode(), headers=hdr)
        r = api.getresponse()
        body = r.read()
        if r.status != 200:
            sys.exit(f"PATCH: {r.status} {body[:300]!r}")
        t_ack = time.perf_counter()
        needle = marker.encode()  # the title itself may be HTML-escaped on the page
        n = 0
        while True:
            n += 1
            page.request("GET", f"/article/{a.article}", headers={"Accept-Encoding": "identity"})
            pr = page.getresponse()
            html = pr.read()
            if pr.status == 200 and needle in html:
                break
            if time.perf_counter() - t0 > 10:
                sys.exit("the new headline was not served within 10 s")
            time.sleep(0.001)
        lat.append((time.perf_counter() - t0) * 1000)
        polls.append(n)
        time.sleep(0.05)
    api.request("PATCH", f"/api/v1/admin/articles/{a.article}",
                body=json.dumps({"title": original}).encode(), headers=hdr)
    api.getresponse().read()
    lat.sort()
    print(f"edit_repeats {len(lat)}")
    print(f"edit_p50_ms {statistics.median(lat):.1f}")
    print(f"edit_max_ms {lat[-1]:.1f}")
    print(f"edit_polls_max {max(polls)}")


if __name__ == "__main__":
    main()
