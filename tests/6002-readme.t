#!/bin/sh
# 6002-readme -- what README.md shows a person is what they will see.
#
# The session under "Reading `-v`" is replayed against the test bed (real
# sshd, HotWax simulator): its "$ command" lines run as written, with
# POSYNC_CONFIG naming a config whose spool stands in for /var/spool/posync,
# and what they print (stdout and stderr together, as on a terminal) must
# be the README's text.  Only what differs by nature is set aside on both
# sides: the SFTP server's address and folders, times, and po-import's
# "still running" lines, which depend on how fast HotWax answers.  Then
# the "Trust the SFTP host" recipe (ssh-keyscan, ssh-keygen -l) runs against the sshd and must
# yield a known_hosts file posync connects with.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"
. "$BED/flow.sh"

README=$TOP/README.md

# block START -- the lines of the README's fenced block that starts with the
# line START, up to its closing fence
block() {
	awk -v start="$1" '
		on && /^```/ { exit }
		on { print }
		$0 == start { on = 1 }' "$README"
}
# the "Reading -v" session: the fenced block after that heading
session=$(awk '
	/^### Reading `-v`/ { sec = 1; next }
	sec && /^#/ { exit }
	sec && /^```/ { if (on) exit; on = 1; next }
	on { print }' "$README")
t_like "README.md has a -v session" "$session" '^\$ po-export-parse -v'

# The CSV the session reads, from its "$ cat pos.csv".
printf '%s\n' "$session" | awk '
	/^\$ cat pos\.csv$/ { on = 1; next }
	on && /^\$ / { exit }
	on { print }' >"$SCRATCH/pos.csv.want"
t_like "the session shows the CSV it reads" "$(head -n 1 "$SCRATCH/pos.csv.want")" \
	'^external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date$'

# Servers, and a catalog holding the CSV's SKUs and facilities.
python3 - "$SCRATCH/pos.csv.want" "$SCRATCH/pos.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
pos = {}
for r in rows:
    p = pos.setdefault(r["external-id"], {"id": r["external-id"], "facility": r["external-facility-id"],
                                          "arrival": r["arrival-date"], "lines": []})
    q = r["quantity"] if not r["quantity"].startswith("-") else "1"
    p["lines"].append({"line_id": r["item-external-id"], "sku": r["product-sku"], "quantity": q})
json.dump(list(pos.values()), open(sys.argv[2], "w"))
PY
flow_start "$SCRATCH/pos.json" || { echo "Bail out! the test servers did not start"; exit 1; }
SPOOL=$SCRATCH/spool

# norm -- set aside what differs by nature (the bed's NetSuite folders are
# in the scratch folder, production's under /home/hotwax/netsuite)
norm() {
	sed -e "s#$SPOOL#/var/spool/posync#g" \
	    -e "s#$SFTP_BASE/#/home/hotwax/netsuite/#g" \
	    -e 's#sftp://[^ :]*:[0-9]*#sftp://SERVER#g' \
	    -e 's#since [0-9][0-9]* (epoch ms)#since TIME (epoch ms)#' \
	    -e 's#_PurchaseOrderReceiptFeed_[0-9_-]*\.json#_PurchaseOrderReceiptFeed_TIME.json#g' |
	grep -v '^po-import: [0-9]* HotWax logs* still running; next look in'
}

# Replay: each "$ command" runs in a folder holding pos.csv; the store
# receives the first line of the first PO in full before the first
# receipt-export.
mkdir -p "$SCRATCH/home" && cp "$SCRATCH/pos.csv.want" "$SCRATCH/home/pos.csv"
printf '%s\n' "$session" | awk '/^\$ / { print substr($0, 3) }' >"$SCRATCH/cmds"
: >"$SCRATCH/got"
received=no rc=0
while IFS= read -r cmd; do
	printf '$ %s\n' "$cmd" >>"$SCRATCH/got"
	case $cmd in
	'echo $?') echo "$rc" >>"$SCRATCH/got"; continue ;;
	receipt-export*)
		if [ $received = no ]; then
			first=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))[0]; l=p["lines"][0]; print(p["id"], "%s:%s" % (l["line_id"], l["quantity"]))' "$SCRATCH/pos.json")
			flow_receive $first </dev/null || echo "# the store could not receive $first"
			received=yes
		fi ;;
	esac
	(cd "$SCRATCH/home" && sh -c "$(printf '%s\n' "$cmd" | sed "s#/var/spool/posync#$SPOOL#g")") >>"$SCRATCH/got" 2>&1 </dev/null
	rc=$?
done <"$SCRATCH/cmds"
t_is "README's -v session is what the programs print" \
	"$(norm <"$SCRATCH/got")" "$(printf '%s\n' "$session" | norm)"

# --- Trust the SFTP host: the README's recipe ----------------------------

scan=$(grep -m1 '^ssh-keyscan ' "$README")
t_like "README shows an ssh-keyscan command" "$scan" '^ssh-keyscan -p 22 .* \| sudo tee /etc/posync/known_hosts$'
KH=$SCRATCH/known_hosts.scanned
scan=$(printf '%s\n' "$scan" | sed -e "s/-p 22 /-p $SSHD_PORT /" -e 's/sftp\.acme\.example/127.0.0.1/' \
	-e 's/sudo //' -e "s#/etc/posync/known_hosts#$KH#")
t_ok "the recipe writes a known_hosts file" sh -c "$scan >/dev/null 2>&1"
fp() { ssh-keygen -l -f "$1" | awk '{ print $2 }'; }
t_is "ssh-keygen -l shows the fingerprint of the server's own host key" \
	"$(fp "$KH")" "$(fp "$SCRATCH/sshd/host_ed25519.pub")"
posync_conf -f "$SCRATCH/scanned.conf" "sftp.known_hosts = $KH"
t_exit "po-export-parse -nv connects with it" 0 po-export-parse -nv -c "$SCRATCH/scanned.conf"
t_like "...and says so" "$(t_err)" 'connected'

flow_stop
t_done
