#!/bin/sh
# The send-back chain killed or failing midway (issue 9, fourth review,
# findings 1 and 2).  Four batches z m a k, made in that order (names
# sorted otherwise), chained by their POs (z: P1=11 P2=21, m: P2=22,
# a: P1=13 P3=33, k: P3=34); z's .logid is damaged, so z goes back with
# the others and the chain gets new made times (chain_times).
# 1. killed between a batch's move to new/ and the setting of its made
#    time (once the rename came first): the batch was left in new/ with
#    the time it reached cur/, out of order, and HotWax ended on old
#    quantities.  Now the time is set before the rename.
# 2. killed, or a write failing (ENOSPC), after some of the chain's new
#    made times are written: z's new time tied with m's own, the tie went
#    by name, m was uploaded before z and HotWax ended on z's P2=21.  Now
#    the new times are below every old one and written oldest first.
# Whatever happens, the runs after it must end on P1=13 P2=22 P3=34.
. "${0%/*}/lib.sh"
t_need_strace
. "$BED/bed.sh"

bed_po_import_seeded
posync_conf hotwax.log_wait=1
qtys() {	# PREFIX: PO=QTY of the POs starting with it, sorted
	hw_ctl GET /_sim/state | hw_json "' '.join(sorted(o['externalId']+'='+str(i['quantity']) for o in d['orders'] if o['externalId'].startswith('$1') for i in o['items']))"
}
# chain N SYSCALLS INJECT: the chain N (POs 9N1 9N2 9N3) uploaded, its logs
# closed in HotWax, z's .logid damaged; then the run that sends it back,
# under strace -e inject=SYSCALLS:INJECT; then four runs.
chain() {
	_c=$1 _t=$2 _i=$3
	mk z$_c 500 9${_c}1=11 9${_c}2=21; mk m$_c 400 9${_c}2=22
	mk a$_c 300 9${_c}1=13 9${_c}3=33; mk k$_c 200 9${_c}3=34
	hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
	po-import </dev/null 2>>"$SCRATCH/runs"
	hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
	process
	printf 'DM10000 \n' >"$SP/cur/z$_c.logid"
	strace -f -o /dev/null -e trace=$_t -e inject=$_t:$_i \
		po-import </dev/null 2>>"$SCRATCH/runs"
	_x=$?
	for _r in 1 2 3 4; do process; po-import </dev/null 2>>"$SCRATCH/runs"; done
	process
	return $_x
}
want() { echo "9${1}1=13 9${1}2=22 9${1}3=34"; }
left() { ls "$SP/new"; for f in "$SP"/cur/[zmak]$1.json; do [ -e "${f%.json}.logdone" ] || echo "$f"; done; }

# 1: the kill between the move and the time, at the 2nd and 4th batch moved
chain 1 utimensat signal=KILL:when=2; x=$?
t_is "killed at the 2nd move's time setting (exit 137)" "$x" 137
t_is "... the runs after it end on the latest quantities" "$(qtys 91)" "$(want 1)"
t_is "... nothing left to upload or follow" "$(left 1)" ""
chain 2 utimensat signal=KILL:when=4; x=$?
t_is "killed at the 4th (the batch sent back itself) (exit 137)" "$x" 137
t_is "... the runs after it end on the latest quantities" "$(qtys 92)" "$(want 2)"
t_is "... nothing left to upload or follow" "$(left 2)" ""

# 2: only a prefix of the new made times written
chain 3 rename,renameat,renameat2 signal=KILL:when=2; x=$?
t_is "killed after the first new made time is written (exit 137)" "$x" 137
t_is "... the runs after it end on the latest quantities" "$(qtys 93)" "$(want 3)"
t_is "... nothing left to upload or follow" "$(left 3)" ""
chain 4 write,pwrite64,fsync,fdatasync,utimensat error=ENOSPC:when=2; x=$?
t_is "a write fails (ENOSPC) after the first new made time (exit 74)" "$x" 74
t_is "... the runs after it end on the latest quantities" "$(qtys 94)" "$(want 4)"
t_is "... nothing left to upload or follow" "$(left 4)" ""
t_done
