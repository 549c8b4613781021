#!/bin/sh
# receipt-export --start-at TIME: receipts dated before TIME that add up
# on one line to 1e10 or more (each a valid quantity, below 1e10) would
# put a total in the state that no run can read back (decimal.h,
# DEC_LIMIT).  The PO is held back, said, and nothing of it is exported
# or recorded; the run after the state is written still reads it.
# Before the fix the run exported, wrote "t 9800 1 5 12000000000", exited
# 0, and every later run stopped with 78 (review RC1).
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_re hotwax.receipt_overlap=600
re_nofold

ns_po 9800 1:SKU1:5 2:SKU2:5
ns_po 9801 1:SKU1:5
backdate 7200; recv 9800 1=6000000000
backdate 7200; recv 9800 1=6000000000
TIME=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
t_exit "--start-at TIME" 0 receipt-export --start-at "$TIME"

recv 9800 2=1
recv 9801 1=2
t_exit "the first run: PO 9800 held back" 65 receipt-export
t_like "... said, naming the PO and the line" "$(t_err)" \
	'PO 9800 line 1: the receipts dated before the --start-at floor add up to 10000000000 or more'
t_is "... only PO 9801 exported" "$(elements)" \
	'[{"order_id":"9801","items":[{"line_id":"1","quantity":2}]}]'
t_is "... no total of PO 9800 in the state" "$(grep -c '^t	9800' "$ST")" 0
t_exit "the next run reads its state" 65 receipt-export
t_is "... no malformed record" "$(t_err | grep -c 'malformed record')" 0
t_like "... PO 9800 still held, said again" "$(t_err)" 'PO 9800 line 1: the receipts dated before'
t_is "... still one file" "$(re_files | wc -l)" 1
t_done
