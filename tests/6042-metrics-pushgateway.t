#!/bin/sh
# The real prometheus-pushgateway on 127.0.0.1 takes each run's push as
# its group (job posync_PROGRAM, instance INSTANCE); stopped, a push that
# fails is one warning naming the URL, the run's status is its own and
# the textfile is written all the same.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"
. "$BED/metrics.sh"

PG=$(command -v prometheus-pushgateway) ||
	t_skip_all "prometheus-pushgateway not installed (make deps)"
bed_built po-import

port=$(free_port)
# its own persistence file: Debian's build keeps groups in
# /var/lib/prometheus/pushgateway.data, shared with every other run
"$PG" --web.listen-address="127.0.0.1:$port" \
	--persistence.file="$SCRATCH/pg.data" >"$SCRATCH/pg.log" 2>&1 &
PG_PID=$!
t_at_exit "kill $PG_PID"
wait_port "$port" 20 || t_bail "the Pushgateway did not start: $(tail -3 "$SCRATCH/pg.log")"
url=http://127.0.0.1:$port
metrics_conf "$SCRATCH/p.conf" "$SCRATCH/spool" t6042 "metrics.push_url = $url"

metrics_pi "$SCRATCH/p.conf"
t_is "po-import: 0" "$PI_ST" 0
t_is "and quiet" "$(cat "$SCRATCH/pi.err")" ""
curl -sf "$url/metrics" >"$SCRATCH/got"
t_is "the Pushgateway answers" "$?" 0
grp='instance="t6042",job="posync_po-import",program="po-import"'
t_is "its group holds the run's exit status" "$(metric "$SCRATCH/got" posync_last_exit_status "$grp")" \
	"$(metric "$MD/posync_po-import_t6042.prom" posync_last_exit_status)"
t_is "and every series the textfile holds" "$(grep -c "^posync_[a-z_]*{$grp" "$SCRATCH/got")" \
	"$(grep -c '^posync_' "$MD/posync_po-import_t6042.prom")"
t_is "the push succeeded, by the Pushgateway's own account" \
	"$(metric "$SCRATCH/got" push_failure_time_seconds 'instance="t6042",job="posync_po-import"')" 0

t_ok "the Pushgateway stops" kill "$PG_PID"
while kill -0 "$PG_PID" 2>/dev/null; do sleep 0.1; done
rm "$MD/posync_po-import_t6042.prom"
metrics_pi "$SCRATCH/p.conf"
t_is "po-import with the Pushgateway gone: still 0" "$PI_ST" 0
t_is "one line on stderr" "$(wc -l <"$SCRATCH/pi.err")" 1
t_like "a warning naming the URL" "$(cat "$SCRATCH/pi.err")" \
	"^po-import: metrics not pushed to $url/metrics/job/posync_po-import/instance/t6042: "
t_ok "the textfile is written all the same" test -s "$MD/posync_po-import_t6042.prom"
t_is "its exit status: 0" "$(metric "$MD/posync_po-import_t6042.prom" posync_last_exit_status)" 0

# push_url is said in warnings: a password in it is refused, never said
for u in "http://posync:hunter2@127.0.0.1:9091" "ftp://127.0.0.1:9091" "http://" "http://127.0.0.1:9091 x" \
	"http://127.0.0.1:9091/gw?token=hunter2" "http://127.0.0.1:9091/#x"; do
	posync_conf -f "$SCRATCH/bad.conf" spool.dir="$SCRATCH/spool-bad" metrics.push_url="$u"
	t_exit "push_url '$u' is refused" 78 po-import -c "$SCRATCH/bad.conf"
	t_like "... naming the key" "$(t_err)" "\\[metrics\\] push_url"
	case $u in
	*hunter2*) t_is "... never repeating the password" "$(t_err | grep -c hunter2)" 0 ;;
	esac
	t_true "... and nothing is pushed or written" ! -e "$SCRATCH/spool-bad/state/po-import.metrics"
done

# A server that answers as the test asks (the path's job name): its
# answer is read for the warning, never written to stdout (closed by
# then: libcurl's default would fwrite it there), any 2xx is a success.
sport=$(free_port)
python3 - "$sport" >"$SCRATCH/stub.log" 2>&1 <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_PUT(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        code = {"t400": 400, "t200": 200, "t307": 307, "t500": 500}[self.path.rsplit("/", 1)[1]]
        body = b"pushed metrics are invalid or inconsistent\nmore\n"
        self.send_response(code)
        if code == 307:
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
STUB=$!
t_at_exit "kill $STUB"
wait_port "$sport" 20 || t_bail "the stub server did not start"
for inst in t200 t400 t307 t500; do
	metrics_conf "$SCRATCH/s.conf" "$SCRATCH/spool-$inst" "$inst" \
		"metrics.push_url = http://127.0.0.1:$sport"
	# a proxy in the environment that nothing answers: a loopback
	# Pushgateway is reached directly all the same
	http_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 metrics_pi "$SCRATCH/s.conf"
	t_is "$inst: po-import's status is its own (0)" "$PI_ST" 0
	case $inst in
	t200) t_is "t200: a 2xx with a body is a push done: nothing said" "$(cat "$SCRATCH/pi.err")" "" ;;
	*) t_like "$inst: one warning with the status and the answer's first line, quoted" \
		"$(cat "$SCRATCH/pi.err")" \
		"^po-import: metrics not pushed to http://127.0.0.1:$sport/metrics/job/posync_po-import/instance/$inst: HTTP ${inst#t}: \"pushed metrics are invalid or inconsistent\"\$" ;;
	esac
done
t_done
