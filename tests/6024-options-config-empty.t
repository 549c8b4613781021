#!/bin/sh
# An empty configuration name is never taken for none (review S): -c ""
# and --config= (a wrapper's unset $CONF) read $POSYNC_CONFIG's or the
# default configuration -- another installation's spool and servers --
# and a real run made and locked its spool.  Now a usage error (64),
# said; an empty POSYNC_CONFIG (POSYNC_CONFIG=$CONF, unset) is refused
# the same way (78), never taken for unset (the default file).
. "${0%/*}/lib.sh"
. "$BED/posync.sh"

PROGS="po-export-parse po-import receipt-export receipt-push"
bed_built $PROGS
D=$SCRATCH/other
mkdir -p "$D"
printf '[spool]\ndir = %s/spool\n' "$D" >"$D/prod.conf"
chmod 600 "$D/prod.conf"

for p in $PROGS; do
	rm -rf "$D/spool"
	CONF=
	t_exit "$p -c \"\" beside a POSYNC_CONFIG: 64" 64 \
		env POSYNC_CONFIG="$D/prod.conf" "$p" -c "$CONF"
	t_is "... said" "$(t_err | head -n 1)" \
		"$p: -c, --config: the configuration file's name is empty: \"\""
	t_like "... then the usage" "$(t_err | sed -n 2p)" "^usage: $p "
	t_true "... POSYNC_CONFIG's spool not touched" ! -e "$D/spool"
	t_exit "$p --config=: 64" 64 env POSYNC_CONFIG="$D/prod.conf" "$p" --config=
	t_true "... POSYNC_CONFIG's spool not touched" ! -e "$D/spool"
	t_exit "$p -n -c \"\": 64 too" 64 env POSYNC_CONFIG="$D/prod.conf" "$p" -n -c ""
	t_exit "$p, POSYNC_CONFIG set but empty: 78" 78 env POSYNC_CONFIG= "$p" </dev/null
	t_is "... said" "$(t_err | head -n 1)" \
		"$p: POSYNC_CONFIG is set but empty: name the configuration file in it, or unset it to read /etc/posync/posync.conf"
	env POSYNC_CONFIG= "$p" -n -c "$D/prod.conf" </dev/null >/dev/null 2>"$SCRATCH/e"
	t_is "$p -c FILE beside an empty POSYNC_CONFIG: FILE is read" \
		"$(grep -c 'POSYNC_CONFIG\|posync/posync.conf' "$SCRATCH/e")" 0
	t_true "... and -n makes nothing" ! -e "$D/spool"
done
t_done
