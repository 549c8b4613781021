#!/bin/sh
# A CSV listed within [netsuite] po_max_size that grows past it before it
# is read is not settled: it stays in the inbox for the next run, which
# judges it by its size then, as receipt-push does with NetSuite's error
# files (future_fetch's one FUTURE_LATER, review D 1.6).  Before, po-export-
# parse took it for bad data: moved to po_error_dir, exit 65.  The run is
# stopped just before the download (POSYNC_TEST_STOP=download) while the
# test appends to the file on the real sshd.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep netsuite.po_max_size=200
ER=$IN/error

printf '%s\n' "$HDR" '9101,SKU-A,1,116,1,' >"$IN/grows.csv"
touch -d '10 minutes ago' "$IN/grows.csv"
pep_stopped download 'python3 -c "import sys; sys.stdout.write(\"9101,SKU-A,1,116,1,\\n\" * 50)" >>"$IN/grows.csv"
	touch -d "10 minutes ago" "$IN/grows.csv"' -v
t_is "a CSV that grows past po_max_size as it is read: exit 0" "$?" 0
t_is "... the program stopped at the step and the file grew" "$(cat "$SCRATCH/.acted")" 1
t_true "... it stays in the inbox" -f "$IN/grows.csv"
t_true "... nothing in po_error_dir" ! -e "$ER/grows.csv"
t_is "... no batch, no copy" "$(ls -A "$SP/po/new" "$SP/po/raw" 2>/dev/null | grep -c grows)" 0
t_like "... said, naming the file" "$(t_err)" 'grows\.csv": [0-9]* bytes, more than the 200 allowed'
t_is "... not called unusable" "$(t_err | grep -c 'cannot be used')" 0
t_exit "the next run, the file listed over po_max_size: exit 65" 65 po-export-parse
t_true "... now it goes to po_error_dir" -f "$ER/grows.csv" -a ! -e "$IN/grows.csv"
t_like "... the reason said" "$(t_err)" "po_max_size 200"
t_done
