#!/bin/sh
# The order in which po-import uploads the batches waiting in new/ does not
# depend on this host's clock (issue 9, second review, finding 2).
# po-export-parse gives each batch the time NetSuite exported its CSV, by
# the SFTP server's clock (the CSV's mtime there), its nanoseconds counting
# the batches of the run; po-import orders new/ by it as it is.  Before,
# a batch made while this host's clock ran an hour ahead carried that
# time, po-import counted it as "now", and it was uploaded after a batch
# of a newer export: HotWax ended at the old quantity.  The .logid's
# "made" line keeps that time.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

t_need_faketime
bed_sshd || t_bail "sshd did not start"
# certificates valid from two hours ago: po-import runs an hour behind
t_clock -2h sh -c '. "$BED/hotwax.sh"; hotwax_certs "$SCRATCH/hotwax"' ||
	t_bail "no certificates"
bed_hotwax
hw_seed_sku_a
posync_conf hotwax.log_wait=1 hotwax.batch_size=1
SP=$SCRATCH/spool/po
IN=$SFTP_BASE/purchaseorder/fulfillment

# export 1 (qty 5; two lines, so two batches), parsed while this host's
# clock runs an hour ahead; HotWax is not asked yet.  (Its name sorts
# after export 2's: a tie would go the wrong way.)
printf '%s\n' "$HDR" '5301,SKU-A,5,116,1,' '5301,SKU-A,1,116,2,' >"$IN/PO_b.csv"
touch -d '20 minutes ago' "$IN/PO_b.csv"
m1=$(stat -c %Y "$IN/PO_b.csv")
t_exit "export 1 parsed, this host's clock an hour ahead" 0 t_clock +1h po-export-parse
b1=$(ls "$SP/new" | grep '^PO_b\.csv\..*\.00001\.json$')
b2=$(ls "$SP/new" | grep '^PO_b\.csv\..*\.00002\.json$')
t_true "... two batches" -n "$b1" -a -n "$b2"
t_is "... the first has the export's time and the run's first count" \
	"$(stat -c '%Y %y' "$SP/new/$b1" | sed 's/ .*\.\([0-9]*\) .*/ \1/')" "$m1 000000001"
t_is "... the second, the next count" \
	"$(stat -c '%Y %y' "$SP/new/$b2" | sed 's/ .*\.\([0-9]*\) .*/ \1/')" "$m1 000000002"

# the clock stepped back; NetSuite amends: export 2 (qty 3)
printf '%s\n' "$HDR" '5301,SKU-A,3,116,1,' >"$IN/PO_a.csv"
touch -d '5 minutes ago' "$IN/PO_a.csv"
m2=$(stat -c %Y "$IN/PO_a.csv")
t_exit "export 2 parsed, this host's clock right" 0 po-export-parse
b3=$(ls "$SP/new" | grep '^PO_a\.csv\.')
t_is "... its batch has export 2's time" "$(stat -c %Y "$SP/new/$b3")" "$m2"

# po-import runs with this host's clock stepped back an hour: every
# batch's local time would be ahead of it
t0=$(date +%s)
t_exit "po-import uploads the three, this host's clock an hour behind" 0 \
	t_clock -1h po-import -v </dev/null
c1=$(stat -c %Y "$SP/cur/$b1")
t_true "... cur/ stamps a batch with when it came, by this host's clock (pruning goes by it)" \
	"$c1" -ge $((t0 - 3600 - 2)) -a "$c1" -le $((t0 - 3600 + 60))
t_is "... in NetSuite's order, not this host's" "$(uploaded)" "$b1 $b2 $b3"
hw_ctl POST /_sim/process >/dev/null
t_exit "and follows their logs" 0 po-import </dev/null
t_is "HotWax ends with the newest export's quantity" "$(qty 5301)" "3,1"
t_like "the .logid keeps the time made" \
	"$(tail -n 1 "$SP/cur/${b1%.json}.logid")" "^made $m1\\.000000001 *\$"

# a local file given by hand: its mtime, or now when later
printf '%s\n' "$HDR" '5302,SKU-A,3,116,1,' >"$SCRATCH/old.csv"
touch -d '40 days ago' "$SCRATCH/old.csv"
before=$(date +%s)
t_exit "a local file written 40 days ago" 0 po-export-parse "$SCRATCH/old.csv"
b4=$(ls "$SP/new" | grep '^old\.csv\.')
t_true "... its batch has the time it was given" "$(stat -c %Y "$SP/new/$b4")" -ge "$before"
t_done
