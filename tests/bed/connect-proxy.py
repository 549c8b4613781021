#!/usr/bin/python3
"""connect-proxy -- a small HTTP proxy for posync's tests, that tells on
what went through it.

    connect-proxy.py --port P --stats FILE [--watch FILE] [--verbose]

Listens on 127.0.0.1:P.  A CONNECT request opens a tunnel to 127.0.0.1 at
the port asked for, whatever the host name (so a test can give HotWax a
name that is not loopback and still reach the simulator); the bytes are
relayed as they are.  Any other request (a plain-http proxy request, with
an absolute URI) is counted and answered 502: this proxy never forwards
plain http, it only witnesses that it was asked to.

FILE is rewritten (atomically) after every event, as JSON:
    {"tunnels": N, "plain": N, "token_seen": N, "targets": ["host:port", ...]}
token_seen counts connections in which the secret held by --watch FILE (its
first line, e.g. a HotWax token) went through in clear, in either
direction, on a tunnel or in a plain request.  The secret is read from a
file, never from the command line.

Python 3 standard library only.
"""

import argparse
import json
import os
import select
import signal
import socket
import sys
import threading

HEAD_MAX = 16 * 1024


class Stats:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.d = {"tunnels": 0, "plain": 0, "token_seen": 0, "targets": []}
        self.save()

    def bump(self, key, target=None):
        with self.lock:
            self.d[key] += 1
            if target is not None:
                self.d["targets"].append(target)
            self.save()

    def save(self):
        tmp = "%s.tmp.%d" % (self.path, os.getpid())
        with open(tmp, "w") as f:
            json.dump(self.d, f)
        os.replace(tmp, self.path)


class Watch:
    """Looks for the secret in a stream of chunks, across chunk edges."""

    def __init__(self, secret):
        self.secret = secret
        self.tail = b""
        self.seen = False

    def feed(self, data):
        if not self.secret or self.seen:
            return
        buf = self.tail + data
        if self.secret in buf:
            self.seen = True
        self.tail = buf[-(len(self.secret) - 1):] if len(self.secret) > 1 else b""


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None, b""
        data += chunk
        if len(data) > HEAD_MAX:
            return None, b""
    head, rest = data.split(b"\r\n\r\n", 1)
    return head, rest


def relay(a, b, watches):
    """Copy both ways until either side closes."""
    socks = [a, b]
    while True:
        r, _, _ = select.select(socks, [], [], 60)
        if not r:
            return
        for s in r:
            try:
                data = s.recv(65536)
            except OSError:
                return
            if not data:
                return
            other = b if s is a else a
            watches[s].feed(data)
            try:
                other.sendall(data)
            except OSError:
                return


def serve(conn, server):
    stats, secret, verbose = server.stats, server.secret, server.verbose
    try:
        conn.settimeout(30)
        head, rest = read_head(conn)
        if head is None:
            return
        line = head.split(b"\r\n", 1)[0].decode("latin-1", "replace")
        parts = line.split()
        if verbose:
            sys.stderr.write("connect-proxy: %s\n" % line)
        if len(parts) == 3 and parts[0] == "CONNECT":
            host, _, port = parts[1].rpartition(":")
            try:
                up = socket.create_connection(("127.0.0.1", int(port)), 10)
            except (OSError, ValueError):
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\n"
                             b"Content-Length: 0\r\n\r\n")
                return
            stats.bump("tunnels", parts[1])
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            w1, w2 = Watch(secret), Watch(secret)
            w1.feed(head)
            w1.feed(rest)
            if rest:
                up.sendall(rest)
            conn.settimeout(None)
            up.settimeout(None)
            try:
                relay(conn, up, {conn: w1, up: w2})
            finally:
                up.close()
            if w1.seen or w2.seen:
                stats.bump("token_seen")
            return
        w = Watch(secret)
        w.feed(head + b"\r\n\r\n" + rest)
        conn.settimeout(1)
        try:   # the body, if any, as far as it comes quickly
            while not w.seen:
                more = conn.recv(65536)
                if not more:
                    break
                w.feed(more)
        except OSError:
            pass
        stats.bump("plain", parts[1] if len(parts) > 1 else "?")
        if w.seen:
            stats.bump("token_seen")
        body = b"connect-proxy forwards nothing in clear\n"
        conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n"
                     b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s"
                     % (len(body), body))
    except OSError:
        pass
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser(description="CONNECT proxy for tests")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--stats", required=True)
    ap.add_argument("--watch")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", a.port))
    srv.listen(64)

    class S:
        pass
    s = S()
    s.stats = Stats(a.stats)
    s.verbose = a.verbose
    s.secret = b""
    if a.watch:
        with open(a.watch, "rb") as f:
            s.secret = f.readline().rstrip(b"\r\n")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, s), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
