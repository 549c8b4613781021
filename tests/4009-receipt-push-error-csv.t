#!/bin/sh
# NetSuite's error CSVs are read with libcsv (issue 8, finding 6): RFC 4180
# quoting as NetSuite or a spreadsheet writes it (commas and doubled quotes
# in a field, a line end inside a message, CRLF, a BOM, a blank line), a NUL
# byte, an escape sequence and a long message (3000 bytes: messages are
# cut at 4 KiB) all come out whole, each
# byte from NetSuite quoted, one message per PO and no phantom rows.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"

bed_receipt_push
t_at_exit sshd_stop
E=$SFTP_BASE/purchaseorder/receipt/error
mkdir -p "$E" "$SCRATCH/spool/receipt/new"
LONG=$(head -c 3000 /dev/zero | tr '\0' 'y')
{
	printf '\357\273\277orderId,errorMessage\r\n'
	printf '"PO,1","Line ""7"" is closed, see log"\r\n'
	printf '2502,"two\r\nlines"\r\n'
	printf '2503,"has a NUL \000 inside"\r\n'
	printf '2504,\033[2J cleared\r\n'
	printf '\r\n'
	printf '2505\r\n'
	printf '2506,%s\r\n' "$LONG"
} >"$E/hostile-error.csv"

t_exit "a hostile error CSV is reported: 65" 65 receipt-push
t_like "a quoted comma and doubled quotes" "$(t_err)" \
	'could not receive PO "PO,1": "Line \\"7\\" is closed, see log" \('
t_like "a line end inside a message, quoted" "$(t_err)" \
	'could not receive PO "2502": "two\\r\\nlines" \('
t_like "a NUL byte, quoted, and what follows it" "$(t_err)" \
	'could not receive PO "2503": "has a NUL \\x00 inside" \('
t_like "an escape sequence, quoted" "$(t_err)" \
	'could not receive PO "2504": "\\x1b\[2J cleared" \('
t_like "a row of one field" "$(t_err)" 'could not receive PO "2505" \('
# msg_quote shows at most 512 bytes of a value (the copy in the spool has it all)
t_like "a long message, cut at 512 bytes and said so" "$(t_err)" \
	"could not receive PO \"2506\": \"$(printf %.512s "$LONG")\"\.\.\. \\("
t_is "one message per PO, no more" "$(t_err | grep -c 'could not receive')" 6
t_is "no phantom rows (the blank line is none)" "$(t_err | grep -c 'more rows')" 0
t_is "no control byte reaches stderr" \
	"$(t_err | tr -d '\n' | LC_ALL=C tr -d '\040-\176' | wc -c)" 0

# an error file whose name holds an escape sequence and a line end
printf 'orderId,errorMessage\n2507,Closed\n' >"$E/$(printf 'evil\033[2J\nname.csv')"
t_exit "-n with a hostile error file name" 0 receipt-push -n
t_like "... names it quoted" "$(t_out)" \
	'would report and copy NetSuite.s error file ".*/evil\\x1b\[2J\\nname\.csv"$'
t_is "... and no control byte reaches stdout" \
	"$(t_out | tr -d '\n' | LC_ALL=C tr -d '\040-\176' | wc -c)" 0
t_done
