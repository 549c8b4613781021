#!/bin/sh
# NetSuite's error rows (issue 8, review A finding 5): receipt-push says
# at most as many rows per run as the message layer shows of one kind
# (MSG_SHOWN in common/msg.h, 20), then one count line per file for the
# rest; never a second count from the message layer ("N more like").
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"
SHOWN=$(sed -n 's/^#define MSG_SHOWN[[:space:]]*\([0-9]*\).*/\1/p' "$TOP/common/msg.h")
[ -n "$SHOWN" ] || t_bail "no MSG_SHOWN in common/msg.h"
bed_receipt_push
E=$SFTP_BASE/purchaseorder/receipt/error
mkdir -p "$E" "$SFTP_BASE/purchaseorder/receipt/archive"
{ echo orderId,errorMessage; i=1; while [ $i -le 100 ]; do echo "$i,Line closed"; i=$((i+1)); done; } >"$E/e100.csv"
touch -d '10 minutes ago' "$E/e100.csv"
t_exit "a 100-row error CSV: exit 65" 65 receipt-push </dev/null
t_is "... $SHOWN rows said" "$(t_err | grep -c 'could not receive PO')" "$SHOWN"
t_like "... then one count of the rest" "$(t_err)" "e100\.csv\": $((100 - SHOWN)) more rows in "
t_is "... and no other line" "$(t_err | wc -l)" $((SHOWN + 1))
t_is "... nothing counted by the message layer" "$(t_err | grep -c 'more like')" 0

# two files in one run: the bound is the run's
{ echo orderId,errorMessage; i=1; while [ $i -le 15 ]; do echo "a$i,Closed"; i=$((i+1)); done; } >"$E/f1.csv"
{ echo orderId,errorMessage; i=1; while [ $i -le 15 ]; do echo "b$i,Closed"; i=$((i+1)); done; } >"$E/f2.csv"
touch -d '10 minutes ago' "$E/f1.csv" "$E/f2.csv"
t_exit "two 15-row CSVs: exit 65" 65 receipt-push </dev/null
t_is "... $SHOWN rows said in all" "$(t_err | grep -c 'could not receive PO')" "$SHOWN"
t_is "... $((30 - SHOWN)) rows counted" "$(t_err | sed -n 's/.*": \([0-9]*\) more rows in .*/\1/p')" $((30 - SHOWN))
t_is "... nothing counted by the message layer" "$(t_err | grep -c 'more like')" 0
t_done
