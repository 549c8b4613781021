#!/bin/sh
# A backlog of small CSVs is read ahead and archived with several SFTP
# requests in flight at once (issue 12, P3: sftp_fetch_many and
# sftp_rename_many), against the real sshd, and loses nothing:
# - a file rewritten after the listing (POSYNC_TEST_STOP=download stops
#   the run just before the read-ahead) is not parsed from what was read
#   nor archived: it stays in the inbox and the next run parses its new
#   content; the others are taken, oldest first;
# - a file gone between the listing and the read is skipped, said under
#   -v; the others are taken;
# - the connection cut at points all through a run (tests/bed/faultproxy.py
#   cut:BYTES), some of them while files are read ahead: a file is never
#   archived before its batches are durable, and the next run leaves each
#   PO parsed once and every file archived, nothing in po/tmp;
# - a server that allows 2 sessions a connection (sshd MaxSessions 2):
#   the batches run on 2 channels, said under -v, and all is taken;
#   with [sftp] channels = 1 on one channel, and 0 is refused.
. "${0%/*}/lib.sh"
. "$BED/bed.sh"

bed_pep
N=12
inbox() { find "$IN" -maxdepth 1 -type f -name '*.csv' | sed 's#.*/##' | sort | tr '\n' ' '; }
# fill PO0 -- N one-line CSVs f1.csv .. fN.csv of POs PO0+1 .., oldest first
fill() { pep_backlog "$N" "$1" 60; }
seq_pos() { _i=1; while [ $_i -le $N ]; do printf '%s ' $(($1 + _i)); _i=$((_i + 1)); done; }
fresh() { rm -rf "$SP" "$AR" "$IN"/*.csv; mkdir -p "$AR"; }

# --- one of the backlog rewritten after the listing
fill 7100
pep_stopped download 'printf "%s\n" "$HDR" "7199,SKU-A,1,116,1," "7199,SKU-A,2,116,2," >"$IN/f5.csv"
	touch -d "55 minutes ago" "$IN/f5.csv"' -v
t_is "f5.csv rewritten before the read-ahead: exit 0" "$?" 0
t_is "... the program stopped at the step and the file was rewritten" "$(cat "$SCRATCH/.acted")" 1
t_like "... said under -v: changed while read" "$(t_err)" 'f5\.csv" changed while it was read: left for the next run'
t_is "... it stays in the inbox" "$(inbox)" "f5.csv "
t_is "... the others are parsed, its old content and its new one are not" \
	"$(new_pos | tr '\n' ' ')" "7101 7102 7103 7104 7106 7107 7108 7109 7110 7111 7112 "
t_is "... nothing left in po/tmp" "$(ls -A "$SP/po/tmp")" ""
t_is "... taken oldest first" "$(grep -o 'taking "[^"]*/f[0-9]*\.csv' "$SCRATCH/.err" |
	sed 's#.*/f##; s#\.csv##' | tr '\n' ' ')" "1 2 3 4 5 6 7 8 9 10 11 12 "
t_ok "the next run" po-export-parse
t_is "... parses the new content once" "$(new_pos | grep -c '^7199$')" 2
t_is "... and archives it" "$(inbox)" ""
t_is "... the archived f5.csv is the new content" "$(grep -c '^7199,' "$AR/f5.csv")" 2

# --- one gone between the listing and the read
fresh
fill 7200
pep_stopped download 'rm -f "$IN/f3.csv"' -v
t_is "f3.csv removed before the read-ahead: exit 0" "$?" 0
t_is "... the program stopped at the step and the file was removed" "$(cat "$SCRATCH/.acted")" 1
t_like "... said under -v: gone" "$(t_err)" 'f3\.csv": gone from the inbox since it was listed; skipped'
t_is "... nothing else said" "$(t_err | grep -v 'f3\.csv": gone' | grep -ci 'warn\|cannot\|fail\|lost\|changed\|gone')" 0
t_is "... the others are parsed once" "$(new_pos | tr '\n' ' ')" "7201 7202 7204 7205 7206 7207 7208 7209 7210 7211 7212 "
t_is "... and archived" "$(ls "$AR" | wc -l | tr -d ' ')" $((N - 1))
t_is "... the inbox is empty" "$(inbox)" ""

# --- the connection cut all through a run
mid=0 cut=0
for B in 6000 7500 9000 10500 12000 13500 15000 16500 18000 19500 21000 22500 24000; do
	fresh
	fill 7300
	sftp_proxy "cut:$B"
	posync_conf sftp.port="$PP" sftp.known_hosts="$SCRATCH/known_hosts.proxy"
	po-export-parse >"$SCRATCH/.out" 2>"$SCRATCH/.err"
	rc=$?
	parsed=$(new_pos | wc -l | tr -d ' ')
	[ $rc = 69 ] && cut=$((cut + 1))
	[ $rc = 69 ] && [ "$parsed" -gt 0 ] && [ "$parsed" -lt $N ] && mid=$((mid + 1))
	# every archived file's PO is in a durable batch
	lost=0
	for f in $(ls "$AR"); do
		po=$(sed -n 2p "$AR/$f" | cut -d, -f1)
		new_pos | grep -qx "$po" || lost=$((lost + 1))
	done
	t_is "cut after $B bytes: exit 0 or 69 ($rc)" "$(echo $rc | grep -cx '0\|69')" 1
	t_is "... no file archived before its batches" "$lost" 0
	posync_conf
	t_ok "... the next run" po-export-parse
	t_is "... each PO parsed once" "$(new_pos | tr '\n' ' ')" "$(seq_pos 7300)"
	t_is "... every file archived" "$(ls "$AR" | wc -l | tr -d ' ')" $N
	t_is "... the inbox is empty, nothing in po/tmp" "$(inbox)$(ls -A "$SP/po/tmp")" ""
done
# --- a server that allows 2 sessions a connection
fresh
fill 7400
sshd_more 2 -o MaxSessions=2
P2=$MORE_PORT
posync_conf sftp.port="$P2" sftp.known_hosts="$SCRATCH/known_hosts.2"
t_ok "MaxSessions 2: exit 0" po-export-parse -v
t_like "... -v says how many channels" "$(t_err)" 'the server allows 2 SFTP channels at once'
t_is "... each PO parsed once" "$(new_pos | tr '\n' ' ')" "$(seq_pos 7400)"
t_is "... every file archived" "$(ls "$AR" | wc -l | tr -d ' ')" $N
t_is "... the inbox is empty" "$(inbox)" ""
t_is "... sshd started 2 sessions on the connection (its log)" \
	"$(grep -c 'Starting session: ' "$SCRATCH/sshd.2.log")" 2
# [sftp] channels = 1: one channel, every request after the one before
fresh
fill 7500
posync_conf sftp.port="$P2" sftp.known_hosts="$SCRATCH/known_hosts.2" sftp.channels=1
t_ok "[sftp] channels = 1: exit 0" po-export-parse -v
t_is "... no second channel asked for (nothing to refuse)" \
	"$(t_err | grep -c 'SFTP channels at once')" 0
t_is "... sshd started 1 session more, not 2 (its log)" \
	"$(grep -c 'Starting session: ' "$SCRATCH/sshd.2.log")" 3
t_is "... each PO parsed once" "$(new_pos | tr '\n' ' ')" "$(seq_pos 7500)"
t_is "... the inbox is empty" "$(inbox)" ""
posync_conf sftp.channels=0
t_exit "[sftp] channels = 0 is refused" 78 po-export-parse
t_like "... naming the key" "$(t_err)" 'channels'
posync_conf

t_diag "cuts: $cut runs cut, $mid with some files parsed and not all"
t_true "some runs were cut" "$cut" -gt 0
t_true "... some while files were read ahead (some parsed, not all)" "$mid" -gt 0
t_done
