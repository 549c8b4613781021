#!/bin/sh
# An upgrade in place loses nothing and sends nothing twice (design.md,
# "Upgrades"; issue 10).  The previous release (commit 35fa212) is built
# from git in the scratch folder and run against the real beds until its
# spool holds every kind of state mid-way: batches done (.logdone), a
# batch in po/cur whose HotWax log is not finished (.logid), batches in
# po/new not uploaded, a CSV left in the inbox with its parsed marker
# (po-export-parse killed before the archive rename), the polines ledger,
# receipt-export's state and a journal left by a run killed inside a fold,
# a receipt published but not yet read by NetSuite, one waiting in
# receipt/new held back by receipt-push (its held note) and an
# error CSV receipt-push already reported.  Then this tree's programs run
# until quiet, and every PO line reached HotWax exactly once with its
# quantity, every receipt NetSuite exactly once, and nothing is left
# waiting, renamed .bad or set aside.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

OLDREV=35fa212
git -C "$TOP" cat-file -e "$OLDREV^{commit}" 2>/dev/null ||
	t_skip_all "no git history here (a tarball or a shallow clone): the previous release $OLDREV cannot be built"
bed_built po-export-parse po-import receipt-export receipt-push
OLD=$SCRATCH/old
mkdir -p "$OLD"
git -C "$TOP" archive "$OLDREV" | tar -x -C "$OLD" || t_bail "git archive $OLDREV failed"
make -s -C "$OLD" all >"$SCRATCH/old-build.log" 2>&1 ||
	{ sed 's/^/# /' "$SCRATCH/old-build.log" >&2; t_bail "the previous release $OLDREV does not build"; }
# old PROG ARG... -- the previous release's PROG
old() { _p=$1; shift; "$OLD/$_p/$_p" "$@"; }
t_is "this tree's programs come first on PATH, not the old ones" \
	"$(command -v po-import)" "$BUILD/po-import/po-import"

# Five POs, NetSuite exports them in four files; all share one catalog.
flow_pos "$SCRATCH/pos0.json" "910001 116 1:U-1:10 2:U-2:20 3:U-3:30" "910002 116 1:U-1:10 2:U-4:20"
flow_pos "$SCRATCH/pos1.json" "910003 116 1:U-2:10 2:U-3:20"
flow_pos "$SCRATCH/pos2.json" "910004 116 1:U-4:10 2:U-1:20 3:U-2:30"
flow_pos "$SCRATCH/pos3.json" "910005 116 1:U-3:10"
flow_up "$SCRATCH/pos0.json"
posync_conf -f "$SCRATCH/nowait.conf" hotwax.batch_size=2 hotwax.log_wait=0
posync_conf hotwax.batch_size=2
SP=$SCRATCH/spool
R=$SFTP_BASE/purchaseorder/receipt
export_pos() { # FILE: NetSuite gets the POs and exports them
	ns load "$1" >/dev/null && ns export --age 120 >/dev/null
}
# following: the batches in po/cur whose .logid has no .logdone yet
following() { (cd "$SP/po/cur" && for f in *.logid; do [ -e "${f%.logid}.logdone" ] || echo "$f"; done | grep -c .); }
in_dir() { (cd "$1" 2>/dev/null && ls -1 | grep '\.\(json\|csv\)$' | tr '\n' ' '); }

# --- the old release's inbound half, left mid-way
t_ok "old po-export-parse: the first CSV" old po-export-parse
t_ok "old po-import: its batches, their logs followed to the end" old po-import </dev/null
t_true "... done batches have a .logdone" -n "$(ls "$SP/po/cur" | grep '\.logdone$')"

export_pos "$SCRATCH/pos1.json"
t_ok "old po-export-parse: the second CSV" old po-export-parse
hold true
t_ok "old po-import, HotWax holding its log: uploaded, log not followed to the end" \
	old po-import -c "$SCRATCH/nowait.conf" </dev/null
t_is "... a batch in po/cur with a .logid and no .logdone" "$(following)" 1

export_pos "$SCRATCH/pos2.json"
t_ok "old po-export-parse: the third CSV, its batches left in po/new" old po-export-parse
t_true "... po/new holds them" -n "$(ls "$SP/po/new")"

export_pos "$SCRATCH/pos3.json"
_path=$PATH
PATH=$OLD/po-export-parse:$PATH
pep_stopped rename 'kill -9 $_pid' 2>/dev/null
t_is "old po-export-parse on the fourth CSV, killed before the archive rename" "$?" 137
PATH=$_path
t_is "... the CSV stays in the inbox" "$(ls "$SFTP_BASE/purchaseorder/fulfillment" | grep -c 'PurchaseOrder\.csv$')" 1
t_true "... with its parsed marker" -n "$(ls "$SP/state/parsed")"
t_true "... and the polines ledger" -s "$SP/state/polines"

# --- the old release's outbound half, left mid-way
mkdir -p "$R/error"
printf 'orderId,errorMessage\n919999,Simulated: received by hand\n' >"$R/error/old-error.csv"
touch -d '10 minutes ago' "$R/error/old-error.csv"
flow_receive 910001 1:4 2:5
old receipt-export | old receipt-push 2>"$SCRATCH/old-push.err"
t_like "old receipt-push reported NetSuite's error CSV" "$(cat "$SCRATCH/old-push.err")" 'old-error\.csv'
t_is "... and published one file, NetSuite has not read it" "$(in_dir "$R" | wc -w)" 1
flow_receive 910002 1:3
old receipt-export | old receipt-push 2>/dev/null
t_is "the next file waits in receipt/new, held back" "$(ls "$SP/receipt/new" | wc -l)" 1
t_is "... receipt-push's notes (errors seen, files held) are there" "$(cd "$SP/state" && ls receipt-push.* | tr '\n' ' ')" \
	"receipt-push.errors-seen receipt-push.held receipt-push.lock "
flow_receive 910001 1:1 3:30
flow_receive 910002 2:2
( POSYNC_TEST_CRASH=unfold old receipt-export >/dev/null 2>&1; echo $? >"$SCRATCH/crash.rc" ) 2>/dev/null
t_is "old receipt-export killed inside a fold (SIGKILL)" "$(cat "$SCRATCH/crash.rc")" 137
t_true "... its journal is left" -s "$SP/state/receipt-export.pending"
t_true "... and its state" -s "$SP/state/receipt-export.state"

# --- this tree's programs, until quiet
hold false
waiting=$(ls "$SP/po/new")
t_ok "po-export-parse" po-export-parse
t_is "... writes no batch again (the marker is read): it only archives" "$(ls "$SP/po/new")" "$waiting"
t_is "... and names only batches waiting already, as then" "$(t_out | sed 's#.*/##' | grep -cvxF -e "$waiting")" 0
t_is "... the inbox is empty" "$(ls "$SFTP_BASE/purchaseorder/fulfillment" | grep -c 'PurchaseOrder\.csv$')" 0
t_ok "po-import" po-import </dev/null
t_ok "po-import again: nothing left to do" po-import </dev/null
t_is "... quietly" "$(t_err)" ""
n=0 rcs=
while [ $n -lt 6 ]; do
	n=$((n + 1))
	receipt-export >/dev/null 2>>"$SCRATCH/new.err"; rcs="$rcs$?"
	receipt-push </dev/null 2>>"$SCRATCH/new.err"; rcs="$rcs$?"
	[ -z "$(ls "$SP/receipt/new")" ] && [ -z "$(in_dir "$R")" ] && break
	ns import >/dev/null
done
t_like "receipt-export and receipt-push exit 0 every run" "$rcs" '^0+$'
# A state file in an older form may be converted once, saying so; that
# is the only thing they may say.
t_is "... and say nothing (but a conversion of an old state file)" \
	"$(grep -viE 'convert|upgrad' "$SCRATCH/new.err")" ""
t_ok "receipt-export once more" receipt-export
t_is "... exports nothing" "$(t_out)" ""

# --- nothing sent twice, nothing lost
hw_ctl GET /_sim/state >"$SCRATCH/hw.json"
ns show >"$SCRATCH/ns.json"
t_is "every PO line reached HotWax in exactly one upload" "$(python3 - "$SCRATCH/hw.json" <<'PY'
import json, sys, collections
d = json.load(open(sys.argv[1]))
n = collections.Counter((r["externalId"], r["itemExternalId"]) for lg in d["logs"] for r in lg["rows"])
print(" ".join("%s/%s:%d" % (k[0], k[1], v) for k, v in sorted(n.items())))
PY
)" "910001/1:1 910001/2:1 910001/3:1 910002/1:1 910002/2:1 910003/1:1 910003/2:1 910004/1:1 910004/2:1 910004/3:1 910005/1:1"
t_is "... each once in HotWax's orders, with its quantity" "$(python3 - "$SCRATCH/hw.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted("%s/%s:%s" % (o["externalId"], i["externalId"], i["quantity"])
                      for o in d["orders"] for i in o["items"])))
PY
)" "910001/1:10 910001/2:20 910001/3:30 910002/1:10 910002/2:20 910003/1:10 910003/2:20 910004/1:10 910004/2:20 910004/3:30 910005/1:10"
t_is "NetSuite received on every line exactly what HotWax accepted" "$(flow_mismatch)" ""
t_is "... the sum of its Item Receipts too (none read twice)" "$(python3 - "$SCRATCH/ns.json" <<'PY'
import json, sys
from decimal import Decimal
d = json.load(open(sys.argv[1]))
t = {}
for ir in d["item_receipts"]:
    for line, q in ir["lines"].items():
        t[(ir["po"], line)] = t.get((ir["po"], line), Decimal(0)) + Decimal(q)
print(" ".join("%s/%s:%s" % (k[0], k[1], format(v.normalize(), "f")) for k, v in sorted(t.items())))
PY
)" "910001/1:5 910001/2:5 910001/3:30 910002/1:3 910002/2:2"
t_is "NetSuite failed no PO (only the old error CSV is there)" "$(in_dir "$R/error")" "old-error.csv "
t_is "nothing waits in po/new or receipt/new" "$(ls "$SP/po/new" "$SP/receipt/new" | grep -c '\.json$')" 0
t_is "nothing in failed/ or rejects/" "$(find "$SP/po/failed" "$SP/receipt/failed" "$SP/po/rejects" -type f 2>/dev/null | grep -c .)" 0
t_is "no file renamed .bad" "$(find "$SP" -name '*.bad*' | grep -c .)" 0
t_true "no journal left" ! -e "$SP/state/receipt-export.pending"
t_is "every batch's log followed to the end" "$(following)" 0
t_is "the old error CSV is not reported again" "$(grep -c 'old-error' "$SCRATCH/new.err")" 0
t_done
