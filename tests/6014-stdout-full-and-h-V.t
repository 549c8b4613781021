#!/bin/sh
# Standard output on a device that refuses every write (/dev/full):
#  - with more output than one stdio buffer, the write that fails comes
#    mid-run and stdio keeps no errno: the program said "writing to
#    standard output failed earlier in the run"; now it names the error
#    (No space left on device), as it does when the last write fails;
#  - -h and -V printed and exited 0, never looking whether it was
#    written; now they end as a run does: 74, said.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"

[ -x "$TOP/po-export-parse/po-export-parse" ] || t_skip_all "po-export-parse not built"
posync_conf
SPOOL=$SCRATCH/spool
HDR=external-id,product-sku,quantity,external-facility-id,item-external-id,arrival-date
set --
for i in $(seq 1 60); do
	f=$SCRATCH/export-$i-with-a-rather-long-name-to-fill-the-buffer.csv
	printf '%s\n' "$HDR" "$((9700 + i)),SKU1,1,116,1," >"$f"
	set -- "$@" "$f"
done
full() { "$@" >/dev/full; }
t_exit "po-export-parse, 60 files, stdout /dev/full: exit 74" 74 full po-export-parse "$@"
t_is "... said once, with its own error" "$(t_err)" \
	"po-export-parse: writing to standard output: No space left on device"
t_is "... more than a stdio buffer of paths was to be printed, and every batch is in po/new" \
	"$(ls "$SPOOL/po/new" | wc -l)" 60
t_true "... (their paths: more than 4096 bytes)" \
	"$(ls -d "$SPOOL"/po/new/* | wc -c)" -gt 4096

for p in po-export-parse po-import receipt-export receipt-push; do
	for o in -h -V; do
		t_exit "$p $o, stdout /dev/full: exit 74" 74 full "$p" "$o"
		t_is "... said" "$(t_err)" "$p: writing to standard output: No space left on device"
	done
	t_exit "$p -V, stdout a file: exit 0" 0 "$p" -V
	t_like "... printed" "$(t_out)" "^$p posync "
done
t_done
