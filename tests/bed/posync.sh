# tests/bed/posync.sh -- a posync.conf for the servers a test started.
#
# Source after lib.sh and the bed scripts it needs (sshd.sh, hotwax.sh).
# posync_conf writes $SCRATCH/posync.conf (or FILE) with an [sftp] section
# and the [netsuite] folders under $SFTP_BASE when sshd_start ran, a
# [hotwax] section when hotwax_start ran (with a fresh API token seeded
# into the simulator and kept in a 0600 file), and a spool in
# $SCRATCH/spool; it exports POSYNC_CONFIG.  Extra "section.key =
# value" arguments override or add keys.
#
# It also holds the preambles several tests share; each stops the file with
# "Bail out! ..." (t_bail) when what it needs is missing:
#   bed_sshd          sshd.sh's server, stopped (sshd_stop) when the test exits
#   bed_hotwax        the HotWax simulator; retries back off from 10 ms
#                     (POSYNC_BACKOFF_MS), so that retrying tests are quick
#   bed_receipt_push [section.key=value...]
#                     receipt-push is built, sshd is up, posync_conf ARGS ran
#   bed_pep [section.key=value...]
#                     po-export-parse's: bed_sshd, posync_conf ARGS; IN and
#                     AR are the inbox and its archive on this host, SP the
#                     spool
#   pep_backlog N PO0 [MINUTES]
#                     a backlog in IN: N one-line CSVs f1.csv .. fN.csv of
#                     POs PO0+1 .., oldest first, f1 MINUTES - 1 minutes
#                     old (MINUTES 600 when not given)
#   bed_all [section.key=value...]
#                     bed_hotwax, then bed_pep ARGS: both servers, one
#                     posync.conf
#   bed_built PROG... each PROG is built
#   bed_missing PROG... prints the first PROG not built where the tests
#                     run it from ($BUILD: the tree, or POSYNC_BINDIR's
#                     build); false when all are (stops nothing)
#   bed_mounts        for a spool split across mounts: a tmpfs can be
#                     mounted here (else the file skips), bed_all, SKU-A
#                     seeded (hw_seed_sku_a), SPOOL the spool
#   bed_marker        a local CSV parsed once (one check), its parsed
#                     marker in M, the ledger in $SCRATCH/ledger.before
#   sftp_proxy MODE   tests/bed/faultproxy.py (--mode MODE) in front of
#                     the sshd, stopped when the test exits: PP is its
#                     port, $SCRATCH/known_hosts.proxy the host keys there
# and ones that skip the file (1..0 # SKIP) instead:
#   bed_po_import     po-import is built, the HotWax simulator is up,
#                     posync_conf ran, retries back off from 10 ms
#   bed_need PROG...  each PROG is built ("PROG not built")
#
# HDR is the header of NetSuite's PO CSV (contracts.md section 1).

HDR=external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date

# bed_marker -- a local CSV ($SCRATCH/m.csv, PO 9601, one row rejected)
# parsed once (a check: exit 65), its batch taken away; sets SP, M (its
# parsed marker) and leaves $SCRATCH/ledger.before (the polines ledger).
bed_marker() {
	posync_conf
	SP=$SCRATCH/spool
	printf '%s\n' "$HDR" '9601,SKU-A,5,116,1,' '9601,SKU-B,x,116,2,' >"$SCRATCH/m.csv"
	t_exit "first parse: 65 (a reject)" 65 po-export-parse "$SCRATCH/m.csv"
	M=$SP/state/parsed/$(ls "$SP/state/parsed")
	rm -f "$SP"/po/new/*
	cp "$SP/state/polines" "$SCRATCH/ledger.before"
}

bed_sshd() {
	sshd_start || t_bail "sshd_start failed"
	t_at_exit sshd_stop
}

bed_hotwax() {
	hotwax_start || t_bail "the HotWax simulator did not start"
	POSYNC_BACKOFF_MS=10
	export POSYNC_BACKOFF_MS
}

bed_pep() {
	bed_sshd
	posync_conf "$@"
	IN=$SFTP_BASE/purchaseorder/fulfillment
	AR=$IN/archive
	SP=$SCRATCH/spool
}

pep_backlog() {
	_i=1
	while [ $_i -le $1 ]; do
		printf '%s\n' "$HDR" "$(($2 + _i)),SKU-A,1,116,1," >"$IN/f$_i.csv"
		touch -d "$((${3:-600} - _i)) minutes ago" "$IN/f$_i.csv"
		_i=$((_i + 1))
	done
}

bed_all() {
	bed_hotwax
	bed_pep "$@"
}

bed_missing() {
	for _p in "$@"; do
		[ -x "$BUILD/$_p/$_p" ] || { echo "$_p"; return 0; }
	done
	return 1
}

bed_mounts() {
	t_need_tmpfs
	bed_all
	hw_seed_sku_a
	SPOOL=$SCRATCH/spool
}

bed_built() {
	_p=$(bed_missing "$@") && t_bail "$_p is not built (make all)"
	:
}

bed_need() {
	_p=$(bed_missing "$@") && t_skip_all "$_p not built"
	:
}

sftp_proxy() {
	PP=$(free_port)
	"$BED/faultproxy.py" --listen "$PP" --to "$SSHD_PORT" --mode "$1" </dev/null >/dev/null 2>&1 &
	t_at_exit "kill $!"
	wait_port "$PP" || t_bail "the fault proxy did not start"
	sed "s/^\[127\.0\.0\.1\]:$SSHD_PORT /[127.0.0.1]:$PP /" "$SFTP_KNOWN_HOSTS" >"$SCRATCH/known_hosts.proxy"
}

bed_receipt_push() {
	[ -x "$TOP/receipt-push/receipt-push" ] || t_bail "receipt-push is not built"
	sshd_start || t_bail "sshd_start failed"
	posync_conf "$@"
}

posync_conf() {
	_f=$SCRATCH/posync.conf
	case "${1:-}" in -f) _f=$2; shift 2 ;; esac
	mkdir -p "$SCRATCH/spool"
	{
		if [ -n "${SSHD_PORT:-}" ]; then
			echo "[sftp]"
			echo "host = 127.0.0.1"
			echo "port = $SSHD_PORT"
			echo "user = $SFTP_USER"
			echo "identity_file = $SFTP_KEY"
			echo "known_hosts = $SFTP_KNOWN_HOSTS"
			echo "timeout = 10"
			echo "[netsuite]"
			echo "po_min_age = 0"
			# The server's folders are this host's (sshd.sh): the
			# defaults (/home/hotwax/...) would not exist.
			_po=$SFTP_BASE/purchaseorder
			echo "po_dir = $_po/fulfillment"
			echo "po_archive_dir = $_po/fulfillment/archive"
			echo "po_error_dir = $_po/fulfillment/error"
			echo "receipt_dir = $_po/receipt"
			echo "receipt_archive_dir = $_po/receipt/archive"
			echo "receipt_error_dir = $_po/receipt/error"
			echo "receipt_staging_dir = $_po/receipt-staging"
		fi
		if [ -n "${HOTWAX_URL:-}" ]; then
			if [ ! -s "$SCRATCH/hotwax.token" ]; then
				( umask 077; od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$SCRATCH/hotwax.token" )
				hw_ctl POST /_sim/seed "{\"tokens\":[\"$(cat "$SCRATCH/hotwax.token")\"]}" >/dev/null ||
					echo "posync_conf: could not seed the token" >&2
			fi
			echo "[hotwax]"
			echo "base_url = $HOTWAX_URL"
			echo "token_file = $SCRATCH/hotwax.token"
			echo "ca_file = $HOTWAX_CA"
			echo "timeout = 10"
			echo "retries = 3"
			echo "log_wait = 10"
		fi
		echo "[spool]"
		echo "dir = $SCRATCH/spool"
	} >"$_f.base"
	python3 - "$_f.base" "$_f" "$@" <<'PY'
import sys
base, out, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
sections, order, cur = {}, [], None
for line in open(base):
    line = line.strip()
    if line.startswith('['):
        cur = line[1:-1]
        if cur not in sections:
            sections[cur] = {}; order.append(cur)
    elif line:
        k, v = [x.strip() for x in line.split('=', 1)]
        sections[cur][k] = v
for e in extra:
    k, v = [x.strip() for x in e.split('=', 1)]
    s, k = k.split('.', 1)
    if s not in sections:
        sections[s] = {}; order.append(s)
    sections[s][k] = v
with open(out, 'w') as f:
    for s in order:
        f.write('[%s]\n' % s)
        for k, v in sections[s].items():
            f.write('%s = %s\n' % (k, v))
PY
	rm -f "$_f.base"
	POSYNC_CONFIG=$_f
	export POSYNC_CONFIG
}

bed_po_import() {
	[ -x "$TOP/po-import/po-import" ] || t_skip_all "po-import not built (make)"
	hotwax_start || t_skip_all "the HotWax simulator did not start"
	posync_conf
	POSYNC_BACKOFF_MS=10
	export POSYNC_BACKOFF_MS
}

# The catalog most po-import tests use: SKU-A (product P-A) received at
# NetSuite location 116 (facility FAC-116).
hw_seed_sku_a() {
	hw_ctl POST /_sim/seed '{"products":[{"productId":"P-A","sku":"SKU-A"}],
 "facilities":[{"facilityId":"FAC-116","externalId":"116"}]}' >/dev/null
}

# The catalog of the inbound tests: NetSuite's SKU 26897 (product PRD-1)
# at location 116 (facility FAC-116); the file stops when HotWax refuses it.
hw_seed_prd1() {
	hw_ctl POST /_sim/seed '{"products": [{"productId": "PRD-1", "sku": "26897"}],
	"facilities": [{"facilityId": "FAC-116", "externalId": "116"}]}' >/dev/null ||
		t_bail "seeding HotWax failed"
}

# bed_po_import with that catalog and the spool's po/new made: SP is
# the po area.
bed_po_import_seeded() {
	bed_po_import
	hw_seed_sku_a
	SP=$SCRATCH/spool/po
	mkdir -p "$SP/new"
}

# pep_stopped STEP ACTION [ARG...] -- po-export-parse ARGs with
# POSYNC_TEST_STOP=STEP (po-export-parse(1)): at its first stop the shell
# command ACTION runs, then it goes on (later stops go on at once).
# Output as t_out/t_err; $SCRATCH/.acted says 1 if ACTION ran; returns
# the program's exit status.
pep_stopped() {
	_step=$1 _act=$2
	shift 2
	POSYNC_TEST_STOP=$_step po-export-parse "$@" >"$SCRATCH/.out" 2>"$SCRATCH/.err" &
	_pid=$! _acted=0 _n=0
	while kill -0 "$_pid" 2>/dev/null && [ $_n -lt 600 ]; do
		_state=$(sed 's/.*) //' "/proc/$_pid/stat" 2>/dev/null | cut -d' ' -f1)
		if [ "$_state" = T ]; then
			[ $_acted = 1 ] || eval "$_act"
			_acted=1
			kill -CONT "$_pid"
		fi
		sleep 0.05
		_n=$((_n + 1))
	done
	kill "$_pid" 2>/dev/null
	wait "$_pid"
	_rc=$?
	echo $_acted >"$SCRATCH/.acted"
	return $_rc
}

# new_pos / new_po_counts -- the POs of the batches in SPOOL/po/new
# ($SCRATCH/spool), one per PO line, sorted; or "PO:LINES " per PO
new_pos() {
	cat "$SCRATCH"/spool/po/new/*.json 2>/dev/null | grep -o '"externalId": "[0-9]*"' |
		sed 's/.*: "//; s/"//' | sort -n
}
new_po_counts() { new_pos | uniq -c | awk '{ printf "%s:%s ", $2, $1 }'; }
