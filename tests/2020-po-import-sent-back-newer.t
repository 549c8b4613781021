#!/bin/sh
# A batch sent back from cur/ to new/ (its .logid damaged, or a log
# HotWax does not know) is never uploaded again after a newer batch of the
# same PO that HotWax already took (issue 9, second review, finding 1):
# before, po-import sent a.json (PO 5201 qty 5) back while b.json (qty 3,
# made later) was uploaded in the same run, and the next run's re-upload
# of a put 5 back in HotWax.  Now every batch of cur/ made after the one
# sent back that shares a PO with it (or with one of those) goes back too,
# keeping its time, and the next run uploads them all again in the order
# made.  Batches of other POs, and older ones, stay in cur/.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded
posync_conf hotwax.log_wait=1
# batch NAME MINUTES-AGO ROW...: new/NAME.json made MINUTES ago
batch() {
	_n=$1 _m=$2; shift 2
	printf '[%s' "$1" >"$SP/new/$_n.json"; shift
	for _r in "$@"; do printf ',\n%s' "$_r" >>"$SP/new/$_n.json"; done
	printf ']\n' >>"$SP/new/$_n.json"
	touch -d "$_m minutes ago" "$SP/new/$_n.json"
}

# older (5201 qty 9), a (5201 qty 5, 5202 qty 1), other (5299): HotWax
# takes them, the logs stay pending
batch older 50 "$(row 5201 9)"
batch a 40 "$(row 5201 5)" "$(row 5202 1)"
batch other 35 "$(row 5299 4)"
hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
t_exit "older, a, other uploaded, logs pending" 0 pi
printf 'DM10000 \n' >"$SP/cur/a.logid"			# damaged: a stray blank
hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
hw_ctl POST /_sim/process >/dev/null
t_is "HotWax has 5201 at 5" "$(qty 5201)" 5

# NetSuite amends: b (5201 qty 3), then c (5202 qty 2, 5203 qty 7), then
# d (5203 qty 8: shares a PO with c only)
batch b 30 "$(row 5201 3)"
batch c 20 "$(row 5202 2)" "$(row 5203 7)"
batch d 10 "$(row 5203 8)"
t_exit "b, c, d uploaded; a's damaged .logid found: exit 65" 65 pi -v
t_is "... b, c, d uploaded in the order made" "$(uploaded)" "b.json c.json d.json"
t_like "... a goes back to new/" "$(t_err)" "cur/a.logid: not a HotWax log id.*goes back to new/"
t_like "... and so do b, c, d, said in one line" "$(t_err)" \
	"new/a.json: the batches of cur/ made or accepted after it with the same POs go back to new/ too.*: b.json, c.json, d.json"
for f in a b c d; do
	t_true "... $f.json is in new/" -f "$SP/new/$f.json"
	t_true "... not in cur/" ! -e "$SP/cur/$f.json"
done
t_true "other.json (another PO) stays in cur/" -f "$SP/cur/other.json"
t_true "older.json (made before a) stays in cur/" -f "$SP/cur/older.json"
hw_ctl POST /_sim/process >/dev/null
t_exit "the next run uploads them again" 0 pi -v
t_is "... in the order made" "$(uploaded)" "a.json b.json c.json d.json"
hw_ctl POST /_sim/process >/dev/null
t_exit "and follows their logs" 0 pi
t_is "HotWax ends with NetSuite's latest for 5201" "$(qty 5201)" 3
t_is "... for 5202" "$(qty 5202)" 2
t_is "... for 5203" "$(qty 5203)" 8
t_true "nothing waits in new/" -z "$(ls "$SP/new")"

# ---- a log HotWax does not know (the .logid keeps the time made): e
# (5401 qty 5) goes back while f (qty 3, made and accepted after it) has
# its log followed in the same run
hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
batch e 40 "$(row 5401 5)"
t_exit "e uploaded, its log pending" 0 pi
batch f 5 "$(row 5401 3)"
t_exit "f uploaded, its log pending" 0 pi
printf 'DM-NOSUCHLOG\n' | dd of="$SP/cur/e.logid" conv=notrunc 2>/dev/null
hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
hw_ctl POST /_sim/process >/dev/null
t_exit "e's log unknown: exit 65" 65 pi
t_like "... f goes back with e, said" "$(t_err)" "new/e.json: the batches of cur/.*: f.json\$"
t_true "... e is in new/" -f "$SP/new/e.json"
t_true "... f is in new/" -f "$SP/new/f.json"
t_true "... f's log is no longer followed (no .logdone)" ! -e "$SP/cur/f.logdone"
age=$(( $(date +%s) - $(stat -c %Y "$SP/new/e.json") ))
t_true "... e keeps the time it was made, 40 minutes ago (age ${age}s)" "$age" -ge 2300
age=$(( $(date +%s) - $(stat -c %Y "$SP/new/f.json") ))
t_true "... f keeps its own, 5 minutes ago (age ${age}s)" "$age" -ge 250 -a "$age" -le 400
t_exit "the next run uploads both" 0 pi -v
t_is "... e first" "$(uploaded)" "e.json f.json"
hw_ctl POST /_sim/process >/dev/null
t_is "HotWax ends with f's quantity" "$(qty 5401)" 3
t_done
