#!/usr/bin/python3
"""faultproxy.py -- a TCP proxy on loopback that injects network faults.

    faultproxy.py --listen PORT --to PORT --mode MODE [--max-conns N] [--verbose]
                  [--count FILE]

Listens on 127.0.0.1:PORT and forwards each connection to 127.0.0.1:TO,
misbehaving as MODE says:

  pass            forward both ways, half-closes passed on
  delay:SECONDS   sleep SECONDS before forwarding every chunk (both ways)
  cut:BYTES       forward, then close both sides once BYTES bytes in total
                  have gone from the server to the client (per connection);
                  the client gets exactly BYTES bytes, never more
  cutup:BYTES     the same for bytes from the client to the server
  silent          accept, read and discard, never send a byte, never close;
                  no connection is made to the server

One thread per connection direction; at most --max-conns connections at a
time (default 64): more are closed at once.  Exits 0 on SIGTERM or SIGINT.
Prints nothing unless --verbose (then one line per event on stderr).
Only loopback addresses are ever used.

--count FILE keeps three counts in FILE, rewritten (by rename) as they
change: "conns N", "up N" and "down N" -- the connections accepted and
the chunks forwarded to the server and to the client.  With delay:, a
client that waits for each answer sends one chunk a round trip, so "up"
counts round trips (bench/roundtrips.sh).
"""

import argparse
import os
import signal
import socket
import sys
import threading
import time

CHUNK = 65536
VERBOSE = False


COUNT_FILE = None
_counts = {"conns": 0, "up": 0, "down": 0}
_count_lock = threading.Lock()


def count(what):
    """One more of what, written to COUNT_FILE (when given)."""
    if COUNT_FILE is None:
        return
    with _count_lock:
        _counts[what] += 1
        tmp = COUNT_FILE + ".tmp"
        with open(tmp, "w") as f:
            f.write("".join("%s %d\n" % kv for kv in sorted(_counts.items())))
        os.replace(tmp, COUNT_FILE)


def log(msg):
    if VERBOSE:
        print("faultproxy: " + msg, file=sys.stderr, flush=True)


def parse_mode(text):
    name, _, arg = text.partition(":")
    if name in ("pass", "silent") and not arg:
        return name, None
    if name == "delay" and arg:
        value = float(arg)
        if value < 0:
            raise ValueError
        return name, value
    if name in ("cut", "cutup") and arg:
        value = int(arg)
        if value < 0:
            raise ValueError
        return name, value
    raise ValueError


def kill(sock):
    """Shut a socket both ways (waking any thread blocked on it) and close."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class Conn:
    """One proxied connection: the client socket, the server socket, and the
    two pumps between them."""

    def __init__(self, client, server, mode, arg, done):
        self.client, self.server = client, server
        self.mode, self.arg = mode, arg
        self.done = done
        self.lock = threading.Lock()
        self.closed = False
        self.pumps_left = 2

    def close_all(self):
        with self.lock:
            if self.closed:
                return
            self.closed = True
        kill(self.client)
        kill(self.server)

    def pump(self, src, dst, downstream):
        # downstream: server -> client
        budget = None
        if self.mode == "cut" and downstream:
            budget = self.arg
        if self.mode == "cutup" and not downstream:
            budget = self.arg
        try:
            if budget == 0:
                self.close_all()
                return
            while True:
                data = src.recv(CHUNK)
                if not data:
                    # Pass the half-close on; the other pump keeps going.
                    try:
                        dst.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    break
                if self.mode == "delay":
                    time.sleep(self.arg)
                if budget is not None:
                    data = data[:budget]
                    budget -= len(data)
                dst.sendall(data)
                count("down" if downstream else "up")
                if budget == 0:
                    log("cut after %d bytes %s" % (
                        self.arg, "to the client" if downstream else
                        "to the server"))
                    self.close_all()
                    break
        except OSError:
            self.close_all()
        finally:
            with self.lock:
                self.pumps_left -= 1
                last = self.pumps_left == 0
            if last:
                self.close_all()
                self.done()


_kept = []          # silent mode: half-closed clients, kept open
_kept_lock = threading.Lock()


def serve_silent(client, done):
    try:
        while client.recv(CHUNK):
            pass
    except OSError:
        kill(client)
        done()
        return
    # The client half-closed (or closed; TCP cannot tell without sending):
    # still never close our side.  Keep the socket open, free the thread.
    with _kept_lock:
        _kept.append(client)
        if len(_kept) > 1000:
            kill(_kept.pop(0))
    done()


def main():
    global VERBOSE, COUNT_FILE
    ap = argparse.ArgumentParser(description="TCP fault proxy on loopback")
    ap.add_argument("--listen", type=int, required=True, metavar="PORT")
    ap.add_argument("--to", type=int, required=True, metavar="PORT")
    ap.add_argument("--mode", required=True)
    ap.add_argument("--max-conns", type=int, default=64, metavar="N")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--count", metavar="FILE")
    opts = ap.parse_args()
    VERBOSE = opts.verbose
    COUNT_FILE = opts.count
    try:
        mode, arg = parse_mode(opts.mode)
    except ValueError:
        ap.error("bad --mode %r: pass, delay:SECONDS, cut:BYTES, "
                 "cutup:BYTES or silent" % opts.mode)

    def stop(signum, frame):
        log("signal %d, exiting" % signum)
        # Threads may be blocked in recv; leave without waiting for them.
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(("127.0.0.1", opts.listen))
    except OSError as e:
        print("faultproxy: cannot listen on 127.0.0.1:%d: %s"
              % (opts.listen, e.strerror), file=sys.stderr)
        sys.exit(1)
    listener.listen(128)
    slots = threading.BoundedSemaphore(opts.max_conns)
    log("listening on 127.0.0.1:%d -> 127.0.0.1:%d, mode %s"
        % (opts.listen, opts.to, opts.mode))

    while True:
        try:
            client, peer = listener.accept()
        except InterruptedError:
            continue
        if not slots.acquire(blocking=False):
            log("too many connections, closing one from port %d" % peer[1])
            kill(client)
            continue
        log("connection from port %d" % peer[1])
        count("conns")
        if mode == "silent":
            threading.Thread(target=serve_silent, args=(client, slots.release),
                             daemon=True).start()
            continue
        try:
            server = socket.create_connection(("127.0.0.1", opts.to), 10)
            server.settimeout(None)
        except OSError as e:
            log("cannot connect to 127.0.0.1:%d: %s" % (opts.to, e))
            kill(client)
            slots.release()
            continue
        for s in (client, server):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = Conn(client, server, mode, arg, slots.release)
        threading.Thread(target=conn.pump, args=(client, server, False),
                         daemon=True).start()
        threading.Thread(target=conn.pump, args=(server, client, True),
                         daemon=True).start()


if __name__ == "__main__":
    main()
