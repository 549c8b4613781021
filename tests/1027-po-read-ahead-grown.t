#!/bin/sh
# A small file of a read-ahead batch replaced by a big one between the
# listing and the read: the batch stops reading it soon past its listed
# size (sftp.c, step_get), as a download alone does, rather than reading
# on to po_max_size -- up to 64 files at a time (review RI, finding 3);
# the file is left for the next run, which takes it whole.  sftp-server's
# own log (SSHD_SFTP_LOG, tests/bed/sshd.sh) says the bytes it read.  And
# a connection cut during a batch is said as the batch's (sftp.c, fail),
# not as the one file whose request saw it first (review RI, finding 2).
. "${0%/*}/lib.sh"
SSHD_SFTP_LOG=$SCRATCH/sftp.log; export SSHD_SFTP_LOG
. "$BED/bed.sh"

bed_pep
for i in 1 2 3 4; do
	printf '%s\n' "$HDR" "$((700 + i)),SKU-A,1,116,1," >"$IN/a$i.csv"
	touch -d '10 minutes ago' "$IN/a$i.csv"
done
{ echo "$HDR"; python3 -c 'import sys; sys.stdout.write("".join("799,SKU-A,1,116,%d,\n" % i for i in range(1, 200001)))'; } >"$SCRATCH/big.csv"
bigsize=$(wc -c <"$SCRATCH/big.csv")
pep_stopped download "cat '$SCRATCH/big.csv' >'$IN/a2.csv'; touch -d '10 minutes ago' '$IN/a2.csv'" -v
t_is "a2.csv replaced by $bigsize bytes before the read-ahead: exit 0" "$?" 0
t_is "... the program stopped at the step and the file was replaced" "$(cat "$SCRATCH/.acted")" 1
t_like "... said: changed while it was read" "$(t_err)" 'a2\.csv" changed while it was read: left for the next run'
got=$(sed -n 's/.*close "[^"]*a2\.csv" bytes read \([0-9]*\).*/\1/p' "$SSHD_SFTP_LOG" | head -1)
t_true "... sftp-server read of it at most 1 MiB (${got:-none})" "${got:-999999999}" -le 1048576
t_is "... the others parsed" "$(new_pos | sort -u | tr '\n' ' ')" "701 703 704 "
t_ok "the next run" po-export-parse
t_is "... takes the new a2.csv whole" "$(new_pos | grep -c '^799$')" 200000

# --- the connection cut while a batch of eight is read: the message is
# the batch's, not that of whichever file's request saw the cut first
rm -rf "$SP" "$IN"/*.csv
for i in 1 2 3 4 5 6 7 8; do
	{ echo "$HDR"; python3 -c 'import sys; sys.stdout.write("".join("%d,SKU-A,1,116,%d,\n" % ('"$((7600 + i))"', j) for j in range(1, 9001)))'; } >"$IN/c$i.csv"
	touch -d '10 minutes ago' "$IN/c$i.csv"
done
sftp_proxy cut:600000
posync_conf sftp.port="$PP" sftp.known_hosts="$SCRATCH/known_hosts.proxy"
t_exit "eight files of $(wc -c <"$IN/c1.csv") bytes, the link cut at 600000: exit 69" 69 po-export-parse
t_like "... the batch named" "$(t_err)" '\(a batch: [0-9]+ requests not answered\): '
t_is "... no file blamed for the cut" "$(t_err | grep -c 'c[0-9]\.csv": ')" 0
t_is "... nothing kept in po/tmp" "$(ls -A "$SP/po/tmp")" ""
t_done
