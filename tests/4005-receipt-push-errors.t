#!/bin/sh
# NetSuite's error CSVs: one that cannot be copied (larger than the
# 10 MB bound) is said once and does not keep the others from being
# reported, whatever order the server lists them in; nothing is said twice.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"
. "$BED/posync.sh"

sshd_start || t_bail "sshd_start failed"
posync_conf
E=$SFTP_BASE/purchaseorder/receipt/error
mkdir -p "$E" "$SCRATCH/spool/receipt/new"
i=0
while [ $i -lt 10 ]; do
	i=$((i + 1))
	printf 'orderId,errorMessage\n24%02d,Closed PO %d\n' $i $i >"$E/file$i-error.csv"
done
{ printf 'orderId,errorMessage\n'; head -c 11000000 /dev/zero | tr '\0' 'x'; } >"$E/huge-error.csv"

t_exit "ten error files and a huge one: 65" 65 receipt-push
i=0 said=0
while [ $i -lt 10 ]; do
	i=$((i + 1))
	printf '%s\n' "$(t_err)" | grep -q "could not receive PO \"24$(printf %02d $i)\": \"Closed PO $i\" " &&
		said=$((said + 1))
done
t_is "... every small one is reported" "$said" 10
t_like "... the huge one is said, to be read on the server" "$(t_err)" \
	"huge-error\.csv\", too large to copy: read it on the server"
t_is "... ten copied into the spool" "$(ls "$SCRATCH/spool/receipt/errors" | wc -l)" 10
t_exit "the next run" 0 receipt-push
t_is "... says nothing again" "$(t_out)$(t_err)" ""
printf 'orderId,errorMessage\n2499,Unknown line\n' >"$E/later-error.csv"
t_exit "a new error file later" 65 receipt-push
t_like "... is reported" "$(t_err)" "could not receive PO \"2499\": \"Unknown line\""
t_is "... alone" "$(t_err | grep -c 'could not receive')" 1
t_done
