#!/bin/sh
# The send-back chain is a closure (issue 9, fourth review, finding 3).
# z m a k made in that order (names sorted otherwise): z: P1=11 P2=21,
# m: P2=22, a: P1=13 P3=33, k: P3=34.  z's log is closed but its .logid
# damaged (made time unknown: its cur/ arrival stands in, later than a's
# made time); HotWax then forgets a's log, and a goes back with the
# batches made or accepted after it sharing its POs: z (P1) and k (P3).
# m, made after z with z's P2, but before a, was left in cur/: z was
# uploaded again after it and HotWax ended on z's P2=21.  Now each batch
# that joins widens the window to its own times, and m goes back too.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_po_import_seeded
posync_conf hotwax.log_wait=1
qtys() {
	hw_ctl GET /_sim/state | hw_json "' '.join(sorted(o['externalId']+'='+str(i['quantity']) for o in d['orders'] if o['externalId'].startswith('95') for i in o['items']))"
}
pi() { po-import "$@" </dev/null 2>>"$SCRATCH/runs"; }

mk z 500 951=11 952=21; mk m 400 952=22; mk a 300 951=13 953=33; mk k 200 953=34
hw_ctl POST /_sim/config '{"hold_processing":true}' >/dev/null
pi
hw_ctl POST /_sim/config '{"hold_processing":false}' >/dev/null
process
t_exit "the four logs are followed and closed" 0 pi
t_true "... z's log closed" -e "$SP/cur/z.logdone"
printf 'DM10000 \n' >"$SP/cur/z.logid"		# damaged, its log closed
rm -f "$SP/cur/a.logdone"			# a's log open again, and
python3 -c "
import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); i=b.index(b'\n')
b[:i]=b'DM99999'.ljust(i,b'\n')[:i]; open(p,'wb').write(b)" "$SP/cur/a.logid"
pi	# HotWax does not know a's log: a goes back, with its chain
t_true "m (made after z, with z's P2) goes back to new/ too" -e "$SP/new/m.json"
t_true "... with z, a and k" -e "$SP/new/z.json" -a -e "$SP/new/a.json" -a -e "$SP/new/k.json"
t_is "... the next run uploads them in the order made" \
	"$(po-import -v </dev/null 2>&1 | sed -n 's|.*uploading .*/\([zmak]\)\.json.*|\1|p' | tr -d '\n')" zmak
for r in 1 2 3; do process; pi; done
process
t_is "HotWax ends on the latest quantities" "$(qtys)" "951=13 952=22 953=34"
t_is "... nothing left in new/" "$(ls "$SP/new")" ""
t_done
