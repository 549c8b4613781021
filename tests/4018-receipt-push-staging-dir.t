#!/bin/sh
# A folder in receipt-push's staging folder (receipt_staging_dir, posync's
# own) named like the next receipt file: the upload into staging failed
# and receipt-push exited 69 on every run, for ever.  Now the file is
# staged under another name and published whole under its own; the folder
# is said without -v (a person should remove it), and the run exits 0.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"
bed_rp_folders
rp_two_waiting
mkdir "$P/receipt-staging/$F"			# an empty folder
mkdir -p "$P/receipt-staging/$F.1/sub"		# the first other name, taken too

t_exit "receipt-push -n" 0 receipt-push -n </dev/null
t_like "... would publish the file" "$(t_out)" "^would publish \".*/new/$F\" as"
t_like "... and says what is in the way" "$(t_err)" "receipt-staging/$F\": a folder in the staging folder"

t_exit "receipt-push with the folder in the way: exit 0, not 69" 0 receipt-push </dev/null
t_like "... the folder said without -v" "$(t_err)" \
	"^receipt-push: \".*/receipt-staging/$F\": a folder in the staging folder.*staged as \"$F.2\" instead: remove it"
t_is "... once" "$(t_err | grep -c 'a folder in the staging folder')" 1
t_ok "... the file published whole under its own name" cmp "$SP/receipt/cur/$F" "$P/receipt/$F"
t_true "... the folders left alone" -d "$P/receipt-staging/$F" -a -d "$P/receipt-staging/$F.1/sub"
t_is "... nothing else staged is left" "$(ls "$P/receipt-staging")" "$F
$F.1"

# NetSuite reads it; the next file goes out on the next run
mv "$P/receipt/$F" "$P/receipt/archive/"
t_exit "the next run" 0 receipt-push </dev/null
t_ok "... publishes the next file" cmp "$SP/receipt/cur/$G" "$P/receipt/$G"
t_is "... quietly: nothing stands in its way" "$(t_err)" ""
t_done
