#!/bin/sh
# Secret and configuration files that are not regular files, or a token
# that is not one line: each is refused at once with exit 78 and a message
# naming the file, never waited on (a FIFO used to hang po-import for
# ever) and never sent (a CR in the token went into the Authorization
# header).  Every run is bounded by timeout(1): a hang fails the check
# (status 124) instead of stalling the test.
. "${0%/*}/lib.sh"
. "$BED/hotwax.sh"
. "$BED/posync.sh"

command -v timeout >/dev/null || t_bail "timeout(1) is missing (coreutils)"
bed_po_import
SP=$SCRATCH/spool/po
mkdir -p "$SP/new"
printf '[{"externalId":"1","itemExternalId":"1","productSku":"S","quantity":1,"externalFacilityId":"116"}]\n' \
	>"$SP/new/b1.json"
GOOD=$POSYNC_CONFIG
hw_ctl POST /_sim/seed '{"products":[{"productId":"P-S","sku":"S"}],
 "facilities":[{"facilityId":"FAC-116","externalId":"116"}]}' >/dev/null
nreq() { hw_ctl GET /_sim/requests | hw_json 'len(d)'; }
T="timeout 10"

# a FIFO and a directory in place of each secret or CA file
mkfifo "$SCRATCH/fifo" || t_bail "mkfifo failed"
mkdir "$SCRATCH/dir"
for key in hotwax.token_file hotwax.password_file hotwax.ca_file \
	sftp.identity_file sftp.known_hosts sftp.password_file; do
	for kind in fifo dir; do
		f=$SCRATCH/$kind
		extra=
		[ "$key" = hotwax.password_file ] && extra=hotwax.username=someone
		posync_conf -f "$SCRATCH/c-$kind.conf" "$key = $f" ${extra:+"$extra"}
		t_exit "[${key%%.*}] ${key#*.} as a $kind: exit 78 at once" 78 \
			$T po-import </dev/null
		t_like "  the message names the key and the file" "$(t_err)" \
			"\\[${key%%.*}\\] ${key#*.} $f is a"
	done
done
POSYNC_CONFIG=$GOOD
t_true "the batch is still in new/" -f "$SP/new/b1.json"

# the configuration itself as a FIFO, for every program
for p in po-import po-export-parse receipt-export receipt-push; do
	t_exit "$p -c FIFO: exit 78 at once" 78 $T $p -c "$SCRATCH/fifo" </dev/null
	t_like "  naming it" "$(t_err)" "$SCRATCH/fifo: not a regular file"
done
POSYNC_CONFIG=$SCRATCH/fifo t_exit "POSYNC_CONFIG naming a FIFO: exit 78 at once" 78 \
	$T po-import </dev/null
t_exit "-c a directory: exit 78" 78 $T po-import -c "$SCRATCH/dir" </dev/null

# a token that is not one line is never sent
tok=$(cat "$SCRATCH/hotwax.token")
hw_ctl POST /_sim/seed "{\"tokens\":[\"$tok\"]}" >/dev/null
bad_token() { # DESC PRINTF-FORMAT
	( umask 077; printf "$2" "$tok" >"$SCRATCH/bad.token" )
	posync_conf -f "$SCRATCH/t.conf" "hotwax.token_file = $SCRATCH/bad.token"
	hw_ctl POST /_sim/requests/clear >/dev/null
	t_exit "a token file with $1: exit 78" 78 $T po-import </dev/null
	t_like "  naming the file" "$(t_err)" "$SCRATCH/bad.token .*must be one line"
	t_is "  nothing was sent to HotWax" "$(nreq)" 0
	t_true "  the batch stays in new/" -f "$SP/new/b1.json"
	case "$(t_err)" in *"$tok"*) t_is "  the token is not printed" leaked no ;;
	*) t_is "  the token is not printed" ok ok ;; esac
}
bad_token "a bare CR inside" '%s\rX\n'
bad_token "a bare CR at the end" '%s\r'
bad_token "a second line" '%s\nmore\n'
bad_token "a NUL byte" '%s\000X\n'
bad_token "an escape byte" '%s\033[2J\n'

# a trailing CRLF is fine: the run uploads
( umask 077; printf '%s\r\n' "$tok" >"$SCRATCH/crlf.token" )
posync_conf -f "$SCRATCH/ok.conf" "hotwax.token_file = $SCRATCH/crlf.token"
t_exit "a token file ending in CRLF works" 0 $T po-import </dev/null
t_true "  the batch went to cur/" -f "$SP/cur/b1.json"

t_done
