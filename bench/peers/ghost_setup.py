#!/usr/bin/env python3
"""Starts Ghost 5 (npm package in $SINMUN_GHOST_DIR) on 127.0.0.1 with SQLite, creates the owner
through the Admin API, posts one article (HTML) and prints its URL on the last line.

    ghost_setup.py WORKDIR HEADLINE BODY_HTML

Writes WORKDIR/ghost.pid; bench/peers/run.sh kills it. Errors go to stderr, exit 1.
"""
import http.client, http.cookies, json, os, shutil, socket, subprocess, sys, time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main():
    work, headline, body = sys.argv[1], sys.argv[2], sys.argv[3]
    gdir = os.environ["SINMUN_GHOST_DIR"]
    ghost = os.path.join(gdir, "node_modules", "ghost")  # the unpacked package, deps inside
    content = os.path.join(work, "ghost-content")
    shutil.copytree(os.path.join(ghost, "content"), content)
    for d in ("data", "logs", "images", "settings"):
        os.makedirs(os.path.join(content, d), exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ,
               NODE_ENV="production",
               url=url,
               server__host="127.0.0.1",
               server__port=str(port),
               database__client="sqlite3",
               database__connection__filename=os.path.join(content, "data", "ghost.db"),
               database__useNullAsDefault="true",
               paths__contentPath=content,
               logging__level="error",
               logging__transports='["stdout"]',
               privacy__useUpdateCheck="false",
               privacy__useGravatar="false",
               mail__transport="stub")
    log = open(os.path.join(work, "ghost.log"), "wb")
    p = subprocess.Popen(["node", os.path.join(ghost, "index.js")], cwd=ghost, env=env,
                         stdout=log, stderr=log)
    with open(os.path.join(work, "ghost.pid"), "w") as f:
        f.write(str(p.pid))
    deadline = time.time() + 180
    while time.time() < deadline:
        if p.poll() is not None:
            sys.exit("ghost exited: " + open(os.path.join(work, "ghost.log")).read()[-400:])
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/ghost/api/admin/site/")
            if c.getresponse().status == 200:
                break
        except OSError:
            pass
        time.sleep(0.5)
    else:
        sys.exit("ghost did not answer within 180 s")

    hdr = {"Content-Type": "application/json", "Origin": url, "Accept-Version": "v5.0"}

    def call(method, path, payload=None, cookie=None):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        h = dict(hdr)
        if cookie:
            h["Cookie"] = cookie
        c.request(method, path, body=json.dumps(payload).encode() if payload else None, headers=h)
        r = c.getresponse()
        data = r.read()
        if r.status >= 300:
            sys.exit(f"{method} {path}: {r.status} {data[:300]!r}")
        return r, data

    user = {"name": "Bench", "email": "bench@example.com", "password": "Qz7rTf9LmW2vXkH4"}
    call("POST", "/ghost/api/admin/authentication/setup/",
         {"setup": [dict(user, blogTitle="신문 Ghost")]})
    r, _ = call("POST", "/ghost/api/admin/session/",
                {"username": user["email"], "password": user["password"]})
    cookie = "; ".join(v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie")
    _, data = call("POST", "/ghost/api/admin/posts/?source=html",
                   {"posts": [{"title": headline, "html": body, "status": "published"}]}, cookie)
    post_url = json.loads(data)["posts"][0]["url"]
    print(post_url)


if __name__ == "__main__":
    main()
