#!/bin/sh
# Proxies.  A loopback HotWax never goes through one, whatever the
# environment says (http_proxy once made libcurl send the Bearer token in
# clear to the proxy, over allow_http).  [hotwax] proxy sends HotWax's
# traffic through a CONNECT tunnel: the test bed's proxy counts the
# tunnels, and watches every byte for the token, which it never sees.
. "${0%/*}/lib.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"

[ -x "$TOP/po-import/po-import" ] || t_bail "po-import is not built"

# The simulator's certificate also names hotwax.test: a HotWax that is not
# this machine as far as posync can tell.  Only the proxy reaches it (the
# name does not resolve), and the proxy's tunnels all end on 127.0.0.1.
HW=$SCRATCH/hotwax
hotwax_certs "$HW" || t_bail "hotwax_certs failed"
(
	cd "$HW" &&
	printf '%s\n' 'basicConstraints = CA:FALSE' \
		'keyUsage = critical, digitalSignature, keyEncipherment' \
		'extendedKeyUsage = serverAuth' \
		'subjectAltName = IP:127.0.0.1, DNS:localhost, DNS:hotwax.test' >server.ext &&
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAserial ca.srl \
		-out server.pem -days 30 -extfile server.ext
) >"$HW/resign.log" 2>&1 || t_bail "re-signing the server certificate failed"
bed_hotwax
posync_conf
TOKEN_FILE=$SCRATCH/hotwax.token
hw_ctl POST /_sim/seed '{"products":[{"productId":"P-A","sku":"SKU-A"}],
 "facilities":[{"facilityId":"FAC-116","externalId":"116"}]}' >/dev/null
SP=$SCRATCH/spool/po
mkdir -p "$SP/new"

# the proxy
PPORT=$(free_port)
STATS=$SCRATCH/proxy.json
python3 "$BED/connect-proxy.py" --port "$PPORT" --stats "$STATS" \
	--watch "$TOKEN_FILE" </dev/null >"$SCRATCH/proxy.log" 2>&1 &
t_at_exit "kill $!"
wait_port "$PPORT" 10 || t_bail "the CONNECT proxy did not start"
PROXY=http://127.0.0.1:$PPORT
stat_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$STATS" "$1"; }
targets() { python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["targets"]))' "$STATS"; }
batch() { printf '[{"externalId":"%s","itemExternalId":"1","productSku":"SKU-A","quantity":1,"externalFacilityId":"116"}]\n' "$1" >"$SP/new/$2.json"; }
nup() { hw_ctl GET /_sim/requests | hw_json "sum(1 for r in d if r['path'] == '/api/uploadJsonFile')"; }
ALLPROXY="http_proxy=$PROXY https_proxy=$PROXY HTTPS_PROXY=$PROXY ALL_PROXY=$PROXY all_proxy=$PROXY"

# ---- [hotwax] proxy, for a HotWax that is not this machine
posync_conf -f "$SCRATCH/proxy.conf" "hotwax.base_url = https://hotwax.test:$HOTWAX_PORT/api/" \
	"hotwax.proxy = $PROXY"
batch 701 b1
t_exit "[hotwax] proxy: po-import uploads through it" 0 po-import </dev/null
t_true "  the batch is in cur/" -f "$SP/cur/b1.json"
t_true "  and its log was followed" -f "$SP/cur/b1.logdone"
t_true "  the proxy opened tunnels ($(stat_of tunnels))" "$(stat_of tunnels)" -ge 1
t_like "  to hotwax.test" "$(targets)" "^hotwax.test:$HOTWAX_PORT( hotwax.test:$HOTWAX_PORT)*\$"
t_is "  HotWax got the upload" "$(nup)" 1
t_is "  the proxy never saw the token" "$(stat_of token_seen)" 0
t_is "  and no plain request" "$(stat_of plain)" 0

# the environment cannot divert it: a dead proxy and no_proxy are ignored
DEAD=http://127.0.0.1:$(free_port)
batch 702 b2
before=$(stat_of tunnels)
t_exit "[hotwax] proxy wins over the environment's" 0 env https_proxy=$DEAD \
	HTTPS_PROXY=$DEAD ALL_PROXY=$DEAD no_proxy='*' NO_PROXY='*' po-import </dev/null
t_true "  b2 is in cur/" -f "$SP/cur/b2.json"
t_true "  through our proxy" "$(stat_of tunnels)" -gt "$before"

# the environment's https_proxy serves a HotWax that is not this machine
# when the configuration names no proxy
posync_conf -f "$SCRATCH/env.conf" "hotwax.base_url = https://hotwax.test:$HOTWAX_PORT/api/"
batch 703 b3
before=$(stat_of tunnels)
t_exit "no [hotwax] proxy: https_proxy from the environment is used" 0 \
	env https_proxy=$PROXY po-import </dev/null
t_true "  b3 is in cur/" -f "$SP/cur/b3.json"
t_true "  through the proxy" "$(stat_of tunnels)" -gt "$before"
t_is "  which never saw the token" "$(stat_of token_seen)" 0

# ---- a loopback HotWax never goes through a proxy
posync_conf -f "$SCRATCH/loop0.conf"
batch 714 b14
before=$(stat_of tunnels)
# shellcheck disable=SC2086
t_exit "https to 127.0.0.1, the environment's proxies set: exit 0" 0 env $ALLPROXY po-import </dev/null
t_true "  b14 is in cur/" -f "$SP/cur/b14.json"
t_is "  no tunnel was opened" "$(stat_of tunnels)" "$before"
posync_conf -f "$SCRATCH/loop.conf" "hotwax.proxy = $PROXY"
batch 704 b4
before=$(stat_of tunnels)
# shellcheck disable=SC2086
t_exit "https to 127.0.0.1, proxies everywhere: exit 0" 0 env $ALLPROXY po-import </dev/null
t_true "  b4 is in cur/" -f "$SP/cur/b4.json"
t_is "  no tunnel was opened" "$(stat_of tunnels)" "$before"

# ---- plain http to loopback (allow_http) with http_proxy set: the case
# that sent the token in clear
PLAIN_PORT=$(free_port)
"$HOTWAX_PYTHON" "$BED/hotwax-sim.py" --plain --port "$PLAIN_PORT" </dev/null \
	>"$SCRATCH/plain-sim.log" 2>&1 &
t_at_exit "kill $!"
wait_port "$PLAIN_PORT" 10 || t_bail "the plain simulator did not start"
pctl() { curl -sf -H 'Content-Type: application/json' --data-binary "$2" "http://127.0.0.1:$PLAIN_PORT/_sim/$1"; }
pctl seed "{\"tokens\":[\"$(cat "$TOKEN_FILE")\"],\"products\":[{\"productId\":\"P-A\",\"sku\":\"SKU-A\"}],\"facilities\":[{\"facilityId\":\"FAC-116\",\"externalId\":\"116\"}]}" >/dev/null ||
	t_bail "seeding the plain simulator failed"
posync_conf -f "$SCRATCH/plain.conf" "hotwax.base_url = http://127.0.0.1:$PLAIN_PORT/api/" \
	hotwax.allow_http=1 hotwax.ca_file=
batch 705 b5
before_t=$(stat_of tunnels) before_p=$(stat_of plain)
# shellcheck disable=SC2086
t_exit "http to 127.0.0.1 with allow_http and http_proxy set: exit 0" 0 \
	env $ALLPROXY po-import </dev/null
t_true "  b5 is in cur/" -f "$SP/cur/b5.json"
t_is "  the proxy got no plain request" "$(stat_of plain)" "$before_p"
t_is "  nor a tunnel" "$(stat_of tunnels)" "$before_t"
t_is "  and never saw the token" "$(stat_of token_seen)" 0
t_is "  the plain HotWax got the upload" \
	"$(curl -sf "http://127.0.0.1:$PLAIN_PORT/_sim/requests" | hw_json "sum(1 for r in d if r['path'] == '/api/uploadJsonFile')")" 1

# ---- a proxy URL posync does not take
for p in "ftp://127.0.0.1:$PPORT" "http://user:secret@127.0.0.1:$PPORT" \
	"socks5://127.0.0.1:$PPORT" "not a url"; do
	posync_conf -f "$SCRATCH/bad.conf" "hotwax.proxy = $p"
	batch 706 b6
	t_exit "proxy = $p: exit 78" 78 po-import </dev/null
	t_like "  said" "$(t_err)" '\[hotwax\] proxy'
	case "$(t_err)" in *secret*) t_is "  no password printed" leaked no ;;
	*) t_is "  no password printed" ok ok ;; esac
done

grep -q "$(cat "$TOKEN_FILE")" "$SCRATCH/proxy.log" "$STATS" &&
	t_is "the token is in no proxy record" leaked no ||
	t_is "the token is in no proxy record" ok ok

t_done
