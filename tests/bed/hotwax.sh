# tests/bed/hotwax.sh -- start and drive the HotWax simulator from a test.
#
# Source after tests/lib.sh:   . "${0%/*}/lib.sh"; . "$BED/hotwax.sh"
#
#   hotwax_certs DIR          throwaway CA + server cert (+ an unrelated CA)
#   hotwax_start              start the simulator; exports HOTWAX_PORT,
#                             HOTWAX_PID, HOTWAX_URL, HOTWAX_CA, HOTWAX_OTHER_CA
#   hw_ctl METHOD PATH [JSON] call the control interface (/_sim/...)
#   hw_api METHOD PATH [JSON] call the API (PATH after /api/) with the token
#                             in $HOTWAX_TOKEN, if set
#   hw_json EXPR              JSON on stdin -> Python EXPR of d, printed
#   hw_settle [SECONDS]       wait until no upload is pending or running
#
# hw_ctl / hw_api print the response body and fail (status 1) when the HTTP
# status is 400 or more; the status itself is left in $HW_STATUS (curl's
# exit status is returned when curl itself failed).

if [ -x /usr/bin/python3 ]; then HOTWAX_PYTHON=/usr/bin/python3; else HOTWAX_PYTHON=python3; fi
_hw_python() { "$HOTWAX_PYTHON" "$@"; }

# hotwax_certs DIR
hotwax_certs() {
	_hw_d=$1
	mkdir -p "$_hw_d" || return
	(
		set -e
		cd "$_hw_d"
		ec='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'
		# shellcheck disable=SC2086
		openssl req -x509 $ec -keyout ca.key -out ca.pem -days 30 \
			-subj '/CN=posync test CA' \
			-addext 'basicConstraints=critical,CA:TRUE' \
			-addext 'keyUsage=critical,keyCertSign,cRLSign'
		# shellcheck disable=SC2086
		openssl req $ec -keyout server.key -out server.csr \
			-subj '/CN=localhost'
		cat >server.ext <<-'EOF'
		basicConstraints = CA:FALSE
		keyUsage = critical, digitalSignature, keyEncipherment
		extendedKeyUsage = serverAuth
		subjectAltName = IP:127.0.0.1, DNS:localhost
		EOF
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
			-CAcreateserial -CAserial ca.srl -out server.pem -days 30 \
			-extfile server.ext
		# shellcheck disable=SC2086
		openssl req -x509 $ec -keyout other-ca.key -out other-ca.pem \
			-days 30 -subj '/CN=posync unrelated CA' \
			-addext 'basicConstraints=critical,CA:TRUE' \
			-addext 'keyUsage=critical,keyCertSign,cRLSign'
		chmod 600 ca.key server.key other-ca.key
	) >"$_hw_d/openssl.log" 2>&1 || {
		echo "hotwax_certs: openssl failed:" >&2
		cat "$_hw_d/openssl.log" >&2
		return 1
	}
}

# hotwax_start -- start the simulator (extra arguments go to it, e.g. --verbose)
hotwax_start() {
	_hw_dir=$SCRATCH/hotwax
	if [ ! -s "$_hw_dir/server.pem" ]; then
		hotwax_certs "$_hw_dir" || return 1
	fi
	HOTWAX_CA=$_hw_dir/ca.pem
	HOTWAX_OTHER_CA=$_hw_dir/other-ca.pem
	export HOTWAX_CA HOTWAX_OTHER_CA
	for _hw_try in 1 2 3; do
		HOTWAX_PORT=$(free_port) || return 1
		"$HOTWAX_PYTHON" "$BED/hotwax-sim.py" --port "$HOTWAX_PORT" \
			--cert "$_hw_dir/server.pem" --key "$_hw_dir/server.key" "$@" \
			</dev/null >>"$_hw_dir/sim.log" 2>&1 &
		HOTWAX_PID=$!
		t_at_exit "kill $HOTWAX_PID"
		HOTWAX_URL=https://127.0.0.1:$HOTWAX_PORT/api/
		export HOTWAX_PORT HOTWAX_PID HOTWAX_URL
		# up, and it is ours (our CA verifies it, our control interface answers)
		if wait_port "$HOTWAX_PORT" 10 && kill -0 "$HOTWAX_PID" 2>/dev/null &&
			hw_ctl GET /_sim/config >/dev/null 2>&1; then
			return 0
		fi
		kill "$HOTWAX_PID" 2>/dev/null
	done
	echo "hotwax_start: the simulator did not come up; its log:" >&2
	cat "$_hw_dir/sim.log" >&2
	return 1
}

# _hw_curl URL METHOD [curl args...] -- body on stdout, status in HW_STATUS
_hw_curl() {
	_hw_url=$1 _hw_m=$2
	shift 2
	_hw_resp=$(curl -s --cacert "$HOTWAX_CA" -X "$_hw_m" \
		-H 'Content-Type: application/json' "$@" \
		-w '\n%{http_code}' "$_hw_url") || {
		_hw_rc=$?
		HW_STATUS=000
		echo "curl failed ($_hw_rc): $_hw_m $_hw_url" >&2
		return $_hw_rc
	}
	HW_STATUS=${_hw_resp##*
}
	printf '%s\n' "${_hw_resp%
*}"
	[ "$HW_STATUS" -lt 400 ]
}

# hw_ctl METHOD PATH [JSON]
hw_ctl() {
	_hw_m=$1 _hw_p=$2
	case $_hw_p in /*) ;; *) _hw_p=/$_hw_p ;; esac
	shift 2
	[ $# -ge 1 ] && set -- --data-binary "$1"
	_hw_curl "https://127.0.0.1:$HOTWAX_PORT$_hw_p" "$_hw_m" "$@"
}

# hw_api METHOD PATH [JSON] -- PATH relative to $HOTWAX_URL, e.g. performFind;
# sends "Authorization: Bearer $HOTWAX_TOKEN" when HOTWAX_TOKEN is set
hw_api() {
	_hw_m=$1 _hw_p=${2#/}
	_hw_p=${_hw_p#api/}
	shift 2
	[ $# -ge 1 ] && set -- --data-binary "$1"
	if [ -n "${HOTWAX_TOKEN:-}" ]; then
		# the token goes through a file, never argv
		printf 'Authorization: Bearer %s\n' "$HOTWAX_TOKEN" \
			>"$SCRATCH/.hw_auth"
		set -- "$@" -H @"$SCRATCH/.hw_auth"
	fi
	_hw_curl "$HOTWAX_URL$_hw_p" "$_hw_m" "$@"
}

# hw_json EXPR -- d is the JSON read from stdin (numbers as exact Decimals;
# D is Decimal); strings print raw, anything else as JSON.
hw_json() {
	_hw_python -c '
import json, sys
from decimal import Decimal as D
def enc(o):
    if o is None: return "null"
    if o is True: return "true"
    if o is False: return "false"
    if isinstance(o, int): return str(o)
    if isinstance(o, D): return format(o, "f")
    if isinstance(o, (str, float)): return json.dumps(o)
    if isinstance(o, (list, tuple)): return "[" + ",".join(map(enc, o)) + "]"
    if isinstance(o, dict):
        return "{" + ",".join(json.dumps(str(k)) + ":" + enc(v) for k, v in o.items()) + "}"
    return json.dumps(o)
d = json.loads(sys.stdin.read(), parse_float=D)
r = eval(sys.argv[1], {"d": d, "D": D, "Decimal": D, "json": json})
print(r if isinstance(r, str) else enc(r))
' "$1"
}

# hw_settle [SECONDS] -- wait until every upload is SERVICE_FINISHED/FAILED
hw_settle() {
	_hw_end=$(($(date +%s) + ${1:-10}))
	while :; do
		_hw_n=$(hw_ctl GET /_sim/state | hw_json \
			'sum(1 for l in d["logs"] if l["statusId"] in ("SERVICE_PENDING", "SERVICE_RUNNING"))') || return 1
		[ "$_hw_n" = 0 ] && return 0
		[ "$(date +%s)" -ge "$_hw_end" ] && {
			echo "hw_settle: $_hw_n upload(s) still pending" >&2
			return 1
		}
		sleep 0.1
	done
}
