#!/bin/sh
# NetSuite's text never reaches a terminal raw either: an error CSV whose
# name and errorMessage hold ESC, CR, LF and a C1 CSI is reported by
# receipt-push escaped, one line per row, and receipt-push -n names the
# file quoted on stdout.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"

bed_receipt_push
E=$SFTP_BASE/purchaseorder/receipt/error
mkdir -p "$E" "$SCRATCH/spool/receipt/new"
raw() { LC_ALL=C tr -d ' -~\n' | wc -c | tr -d ' '; }
name=$(printf 'evil\033[2J\302\233-error.csv')
printf 'orderId,errorMessage\n2401,"Closed\033[2J\r\nreceipt-push: FORGED \302\233 end"\n' >"$E/$name"

t_exit "receipt-push -n with a hostile error file" 0 receipt-push -n
t_is "... stdout: no byte but printable ASCII and LF" "$(t_out | raw)" 0
t_like "... names the file, quoted" "$(t_out)" \
	'would report and copy NetSuite.s error file ".*/evil\\x1b\[2J\\xc2\\x9b-error\.csv"$'
t_is "... stderr: no byte but printable ASCII and LF" "$(t_err | raw)" 0

t_exit "receipt-push reports it: exit 65" 65 receipt-push
t_err >"$SCRATCH/err"
t_is "stderr: no byte but printable ASCII and LF" "$(raw <"$SCRATCH/err")" 0
t_is "... no forged line" "$(grep -c '^receipt-push: FORGED' "$SCRATCH/err")" 0
t_like "... the row's message shown escaped" "$(cat "$SCRATCH/err")" \
	'could not receive PO "2401": "Closed\\x1b\[2J\\r\\nreceipt-push: FORGED \\xc2\\x9b end"'
t_done
