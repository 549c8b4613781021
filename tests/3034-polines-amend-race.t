#!/bin/sh
# receipt-export completes a PO and drops it from the polines ledger;
# the re-check that the PO was not amended meanwhile is made under the
# compaction's own lock, so a NetSuite amendment appended at any moment
# is either seen by it (the PO kept, opened again in the state) or
# appended after the compaction (kept too): never dropped with the PO
# (issue 9).  strace delays the state's rename, the moment the re-check
# was once made and its lock let go, to widen the window to seconds.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

[ -x "$TOP/receipt-export/receipt-export" ] || t_skip_all "receipt-export not built"
t_need_strace
re_setup
re_nofold
ns_po 7401 1:SKU1:5 || t_bail "the PO did not reach HotWax"
printf '7401\t\t%s\n' "$(date +%s)" >>"$L"
recv 7401 1=5 || t_bail "receiving failed"

( while ! ls "$SPOOL"/state/receipt-export.state.tmp.* >/dev/null 2>&1; do sleep 0.01; done
  # what po-export-parse's append does: under the ledger's lock
  flock "$L" sh -c 'printf "7401\t2\t4\n7401\t\t%s\n" "$(date +%s)" >>"$1"' - "$L"
  touch "$SCRATCH/appended" ) & w=$!
t_exit "receipt-export completes 7401 while NetSuite amends it" 0 \
	strace -f -o /dev/null -e trace=rename,renameat,renameat2 \
	-e inject=rename,renameat,renameat2:delay_enter=1500000 receipt-export
wait $w
t_ok "... the amendment was appended during the run" test -e "$SCRATCH/appended"
t_is "... 7401's new line 2 is still in the ledger" \
	"$(awk -F'\t' '$1 == "7401" && $2 == "2" { print $3 }' "$L")" 4
t_is "... and 7401 is open again in the state (no \"c\" record)" \
	"$(grep -c '^c	7401	' "$SPOOL/state/receipt-export.state")" 0
t_done
