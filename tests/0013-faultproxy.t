#!/bin/sh
# The TCP fault proxy: pass, delay, cut, cutup and silent modes, its bound
# on connections, and a clean exit on SIGTERM.
. "${0%/*}/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# Upstreams: python's http.server on a folder, and a counter that records how
# many bytes each connection sent it before EOF.
mkdir -p "$SCRATCH/www"
head -c 200000 /dev/urandom >"$SCRATCH/www/big.bin"
printf 'hello\n' >"$SCRATCH/www/small.txt"
HTTP_PORT=$(free_port)
"$PY" -m http.server --bind 127.0.0.1 --directory "$SCRATCH/www" "$HTTP_PORT" \
	</dev/null >"$SCRATCH/http.log" 2>&1 &
t_at_exit "kill $!"

cat >"$SCRATCH/counter.py" <<'EOF'
import socket, sys, threading
port, out = int(sys.argv[1]), sys.argv[2]
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", port)); ls.listen(16)
def serve(c):
    n = sum(len(b) for b in iter(lambda: c.recv(65536), b""))  # to EOF
    # Probes (wait_port, the proxy's own wait_port passed upstream) send
    # nothing; recording their 0 late would race the tests' truncation.
    if n:
        with open(out, "a") as f:
            f.write("%d\n" % n)
    c.close()
while True:
    c, _ = ls.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
COUNT_PORT=$(free_port)
"$PY" "$SCRATCH/counter.py" "$COUNT_PORT" "$SCRATCH/counts" </dev/null \
	>"$SCRATCH/counter.log" 2>&1 &
t_at_exit "kill $!"

cat >"$SCRATCH/client.py" <<'EOF'
# client.py PORT get PATH OUT   -- HTTP GET through the proxy, body to OUT
# client.py PORT raw PATH       -- raw GET, print bytes read until EOF
# client.py PORT send N         -- send N bytes, half-close, wait for EOF
# client.py PORT wait SECONDS   -- send a request, print "timeout" or "eof"
# client.py PORT time PATH OUT  -- GET, body to OUT, print how long it took
import socket, sys, time, urllib.request
port, what = int(sys.argv[1]), sys.argv[2]
url = "http://127.0.0.1:%d/" % port
if what == "get":
    with urllib.request.urlopen(url + sys.argv[3], timeout=10) as r:
        open(sys.argv[4], "wb").write(r.read())
elif what == "time":
    t = time.monotonic()
    with urllib.request.urlopen(url + sys.argv[3], timeout=10) as r:
        open(sys.argv[4], "wb").write(r.read())
    print("%.2f" % (time.monotonic() - t))
elif what == "raw":
    s = socket.create_connection(("127.0.0.1", port), 10)
    s.sendall(b"GET /%s HTTP/1.0\r\n\r\n" % sys.argv[3].encode())
    n = sum(len(b) for b in iter(lambda: s.recv(65536), b""))  # to EOF
    print(n)
elif what == "send":
    s = socket.create_connection(("127.0.0.1", port), 10)
    try:
        s.sendall(b"x" * int(sys.argv[3]))
        s.shutdown(socket.SHUT_WR)
        while s.recv(65536):
            pass
    except OSError:
        pass
elif what == "wait":
    s = socket.create_connection(("127.0.0.1", port), 10)
    s.settimeout(float(sys.argv[3]))
    s.sendall(b"GET / HTTP/1.0\r\n\r\n")
    try:
        print("eof" if s.recv(1) == b"" else "data")
    except socket.timeout:
        print("timeout")
    except OSError as e:
        print("error %s" % e)
EOF
client() { "$PY" "$SCRATCH/client.py" "$@"; }

wait_port "$HTTP_PORT" || { echo "Bail out! http.server did not start"; exit 1; }
wait_port "$COUNT_PORT" || { echo "Bail out! the counter did not start"; exit 1; }

# proxy MODE [OPTIONS...] -- start a proxy to http.server; sets PPORT, PPID_
proxy() {
	_to=$HTTP_PORT
	[ "$1" = "--to-counter" ] && { _to=$COUNT_PORT; shift; }
	PPORT=$(free_port)
	"$BED/faultproxy.py" --listen "$PPORT" --to "$_to" --mode "$@" \
		</dev/null >"$SCRATCH/proxy.$PPORT.out" 2>&1 &
	PPID_=$!
	t_at_exit "kill $PPID_"
	wait_port "$PPORT"
}

t_ok "pass: the proxy starts" proxy pass
t_ok "pass: a 200 kB GET through it" client "$PPORT" get big.bin "$SCRATCH/got"
t_ok "... arrives whole" cmp "$SCRATCH/www/big.bin" "$SCRATCH/got"
pids=
for i in 1 2 3 4 5; do
	client "$PPORT" get big.bin "$SCRATCH/got$i" & pids="$pids $!"
done
for p in $pids; do wait "$p"; done
n=0; for i in 1 2 3 4 5; do cmp -s "$SCRATCH/www/big.bin" "$SCRATCH/got$i" && n=$((n + 1)); done
t_is "pass: five GETs at once all arrive whole" "$n" 5
pass_pid=$PPID_ pass_port=$PPORT
t_ok "SIGTERM stops the proxy" kill "$pass_pid"
wait "$pass_pid"; rc=$?
t_is "... with exit status 0" "$rc" 0
t_exit "... and it is gone" 1 kill -0 "$pass_pid"
t_is "... having printed nothing (no --verbose)" "$(cat "$SCRATCH/proxy.$pass_port.out")" ""

t_ok "pass to the counter" proxy --to-counter pass
: >"$SCRATCH/counts"
client "$PPORT" send 100000
for i in $(seq 50); do [ -s "$SCRATCH/counts" ] && break; sleep 0.1; done
t_is "pass: 100000 bytes up, half-close passed on" "$(cat "$SCRATCH/counts")" 100000

t_ok "delay:0.2" proxy delay:0.2
took=$(client "$PPORT" time small.txt "$SCRATCH/small")
t_like "delay:0.2: a GET takes at least 0.4 s (a chunk each way: $took)" "$took" \
	'^([1-9]|0\.[4-9])'
t_is "delay: the body is intact" "$(cat "$SCRATCH/small")" hello

t_ok "silent" proxy silent
t_is "silent: a client with a 2 s timeout times out" "$(client "$PPORT" wait 2)" timeout
t_is "silent: the server never saw a request" \
	"$(grep -c 'GET / ' "$SCRATCH/http.log")" 0

t_ok "cut:1000" proxy cut:1000
t_is "cut:1000: exactly 1000 bytes, then EOF" "$(client "$PPORT" raw big.bin)" 1000
t_is "cut:1000: the same on the next connection" "$(client "$PPORT" raw big.bin)" 1000
t_is "cut:1000: a shorter answer passes whole" \
	"$(client "$PPORT" raw small.txt)" \
	"$(client "$HTTP_PORT" raw small.txt)"
t_ok "cut:0" proxy cut:0
t_is "cut:0: nothing at all" "$(client "$PPORT" raw big.bin)" 0

t_ok "cutup:500 to the counter" proxy --to-counter cutup:500
: >"$SCRATCH/counts"
client "$PPORT" send 100000
for i in $(seq 300); do [ -s "$SCRATCH/counts" ] && break; sleep 0.1; done
t_is "cutup:500: the server got exactly 500 bytes" "$(cat "$SCRATCH/counts")" 500

t_ok "silent --max-conns 2" proxy silent --max-conns 2
"$PY" - "$PPORT" >"$SCRATCH/bound" <<'EOF' &
import socket, sys, time
port = int(sys.argv[1])
held = [socket.create_connection(("127.0.0.1", port), 5) for _ in range(2)]
time.sleep(0.5)
s = socket.create_connection(("127.0.0.1", port), 5)
s.settimeout(3)
try:
    print("eof" if s.recv(1) == b"" else "data")
except socket.timeout:
    print("timeout")
except OSError:
    print("eof")
EOF
wait $!
t_is "--max-conns 2: a third connection is closed at once" "$(cat "$SCRATCH/bound")" eof

t_exit "a bad mode is a usage error" 2 "$BED/faultproxy.py" --listen 1 --to 2 --mode cut:x
t_like "... naming the modes" "$(t_err)" "pass, delay:SECONDS"

t_done
