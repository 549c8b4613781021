#!/bin/sh
# A damaged polines ledger stops receipt-export before anything is
# exported or rewritten (issue 9, finding 1, for the ledger): a line it
# cannot read may be an open NetSuite line that never reached HotWax,
# and a receipt file that leaves it out has NetSuite receive it in full;
# the compaction would then erase the evidence.  Exit 78, one message
# naming the file and line, the ledger left as it was.  A torn last line
# (an append cut short, whose writer failed and appends it again) is
# still tolerated.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re
re_nofold
now=$(date +%s)

i=0
for kind in crlf nul space long; do
	i=$((i + 1)); po=750$i
	: >"$L"
	ns_po $po 1:SKU1:5 || t_bail "the PO did not reach HotWax"
	# line 2 never reached HotWax: only the ledger knows it; line 2 of
	# the file is the damaged record
	case $kind in
	crlf)  printf '%s\t2\t3\r\n' $po >>"$L" ;;
	nul)   printf '%s\t2\t3\0\n' $po >>"$L" ;;
	space) printf '%s\t2\t3 \n' $po >>"$L" ;;
	long)  printf '%s\t%05000d\t1\n' $po 0 >>"$L" ;;
	esac
	printf '%s\t\t%s\n' $po $now >>"$L"
	printf '\t\t1\n' >>"$L"		# a compaction is due
	cp "$L" "$SCRATCH/before"
	recv $po 1=1 || t_bail "receiving failed"
	t_exit "$kind in the ledger: receipt-export stops" 78 receipt-export
	t_is "... one message" "$(t_err | wc -l | tr -d ' ')" 1
	t_like "... naming the file and line 2" "$(t_err)" "^receipt-export: $L:2: "
	cmp -s "$SCRATCH/before" "$L" && same=yes || same=no
	t_is "... the ledger left as it was" "$same" yes
	t_is "... nothing exported" "$(ls "$SPOOL/receipt/new" 2>/dev/null | wc -l | tr -d ' ')" 0
	t_is "... no state written" "$(ls "$SPOOL/state" | grep -c '^receipt-export\.state')" 0
done

# mended by hand: the run goes on and lists line 2
printf '7504\t2\t3\n7504\t\t%s\n' $now >"$L"
t_exit "the ledger mended: receipt-export runs" 0 receipt-export
t_like "... and the line that never reached HotWax is listed" "$(cat "$(t_out)")" \
	'"order_id":"7504".*"line_id":"2","quantity":0'

# a torn last line (no LF) is no damage
rm -f "$SPOOL"/receipt/new/*
printf '7504\t3\t' >>"$L"
t_exit "a torn last line: receipt-export runs" 0 receipt-export
t_is "... quietly" "$(t_err)" ""
t_done
