#!/bin/sh
# The sshd test bed: a real OpenSSH sshd, checked with OpenSSH's own sftp
# client, so later tests can trust it when they check posync with it.
. "${0%/*}/lib.sh"
. "$BED/sshd.sh"

sshd_start || { echo "Bail out! sshd_start failed"; exit 1; }
PO=$SFTP_BASE/purchaseorder

t_true "SSHD_PORT is a port" -n "$SSHD_PORT" -a "$SSHD_PORT" -gt 0
t_ok "sshd is running" kill -0 "$SSHD_PID"
t_is "SFTP_BASE is in the scratch folder" "$SFTP_BASE" "$SCRATCH/sftp/netsuite"
t_is "SFTP_USER is us" "$SFTP_USER" "$(id -un)"
t_is "the user key is mode 600" "$(stat -c %a "$SFTP_KEY")" 600
t_like "known_hosts names [127.0.0.1]:port" "$(cat "$SFTP_KNOWN_HOSTS")" \
	"^\[127\.0\.0\.1\]:$SSHD_PORT ssh-ed25519 [A-Za-z0-9+/=]+\$"
t_is "sshd runs as us" "$(stat -c %u "/proc/$SSHD_PID")" "$(id -u)"
t_like "it listens on 127.0.0.1 only" "$(grep -i '^listenaddress' "$SCRATCH/sshd/sshd_config")" \
	'^ListenAddress 127\.0\.0\.1$'
t_true "its config names no chroot" -z "$(grep -i '^chrootdirectory' "$SCRATCH/sshd/sshd_config")"
t_true "sshd logs to a file" -s "$SSHD_LOG"

# What NetSuite's set-up made, and not what posync makes itself.
t_ok "sftp lists purchaseorder/" sftp_batch "ls -1 $PO" "ls -1 $PO/receipt"
t_is "purchaseorder/ and receipt/ hold exactly the set-up folders" \
	"$(t_out | grep -v '^sftp>' | sed 's|.*/||' | sort | tr '\n' ' ')" \
	"archive error fulfillment receipt "
t_ok "fulfillment/ lists archive only" sftp_batch "ls -1 $PO/fulfillment"
t_is "no fulfillment/error yet" \
	"$(t_out | grep -v '^sftp>' | sed 's|.*/||' | tr '\n' ' ')" "archive "
t_ok "sessions start in \$SFTP_HOME" sftp_batch pwd
t_is "pwd" "$(t_out | grep '^Remote working directory')" "Remote working directory: $SFTP_HOME"

# put, get, rename with a name the way NetSuite makes them.
name='Fri Nov 27 2026 08:15:00 GMT-0800 (Pacific Standard Time)-PurchaseOrder.csv'
printf 'external-id,product-sku\n1,"a,b"\n' >"$SCRATCH/up.csv"
head -c 300000 /dev/urandom >"$SCRATCH/big"
t_ok "put a file" sftp_batch "put $SCRATCH/up.csv \"$PO/fulfillment/$name\"" \
	"put $SCRATCH/big $PO/receipt/big.json"
t_ok "it appears on this host at the same path, same bytes" \
	cmp "$SCRATCH/up.csv" "$PO/fulfillment/$name"
t_ok "a 300 kB file arrives whole" cmp "$SCRATCH/big" "$PO/receipt/big.json"

printf 'from the server\n' >"$SCRATCH/r1.json"
cp "$SCRATCH/r1.json" "$PO/receipt/archive/r1.json"
t_ok "get a file" sftp_batch "get $PO/receipt/archive/r1.json $SCRATCH/got"
t_is "got its bytes" "$(cat "$SCRATCH/got")" "from the server"

t_ok "rename a file" \
	sftp_batch "rename \"$PO/fulfillment/$name\" \"$PO/fulfillment/archive/$name\""
t_true "renamed: gone from the inbox" ! -e "$PO/fulfillment/$name"
t_ok "renamed: in archive/, same bytes" \
	cmp "$SCRATCH/up.csv" "$PO/fulfillment/archive/$name"
t_exit "a plain SFTP rename onto an existing name fails" 1 \
	sftp_batch "rename -l $PO/receipt/big.json $PO/receipt/archive/r1.json"
t_ok "... and leaves the target alone" \
	cmp "$SCRATCH/r1.json" "$PO/receipt/archive/r1.json"
t_ok "... and the source" cmp "$SCRATCH/big" "$PO/receipt/big.json"

t_exit "a file that is not there is not fetched" 1 \
	sftp_batch "get $PO/receipt/no-such.json $SCRATCH/nothing"
t_true "... nothing fetched" ! -e "$SCRATCH/nothing"

# Host key checking: a changed key and an unknown host are refused.
sshd_wrong_known_hosts "$SCRATCH/wrong_kh"
t_like "the wrong known_hosts names the port" "$(cat "$SCRATCH/wrong_kh")" \
	"^\[127\.0\.0\.1\]:$SSHD_PORT ssh-ed25519 "
t_true "... with another key" \
	"$(cut -d' ' -f3 "$SCRATCH/wrong_kh")" != "$(cut -d' ' -f3 "$SFTP_KNOWN_HOSTS")"
with_kh() ( SFTP_KNOWN_HOSTS=$1; shift; sftp_batch "$@" )	# FILE CMDS..., in a subshell
t_exit "sftp refuses a changed host key" 255 with_kh "$SCRATCH/wrong_kh" ls
t_like "... saying so" "$(t_err)" "REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed"
: >"$SCRATCH/empty_kh"
t_exit "sftp refuses an unknown host" 255 with_kh "$SCRATCH/empty_kh" ls
t_like "... saying so" "$(t_err)" "Host key verification failed"

# Only the key in authorized_keys gets in.
ssh-keygen -q -t ed25519 -N '' -f "$SCRATCH/other_key"
with_key() ( SFTP_KEY=$1; shift; sftp_batch "$@" )	# KEY CMDS..., in a subshell
t_exit "another user key is refused" 255 with_key "$SCRATCH/other_key" ls
t_like "... publickey only" "$(t_err)" "Permission denied \(publickey\)"

pid=$SSHD_PID
t_ok "sshd_stop" sshd_stop
t_exit "no sshd process is left" 1 kill -0 "$pid"
t_exit "the port no longer accepts" 1 wait_port "$SSHD_PORT" 1

t_done
