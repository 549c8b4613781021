#!/bin/sh
# 6051-systemd-units -- the units in systemd/ as systemd reads them.
#
# systemd-analyze works offline, without systemd as PID 1 (containers,
# CI): SYSTEMD_UNIT_PATH puts a scratch copy of systemd/ first, so the
# units load with their drop-in (posync-.service.d/) as installed, and
# --man=no because posync's pages are not installed here.  `verify` must
# pass and say nothing; `security --offline=yes` must rate each service
# below THRESHOLD.  What is left of the exposure is what posync needs:
# the network (PrivateNetwork, IPAddressDeny: it talks to SFTP and HTTPS
# hosts the configuration names), Internet and Unix sockets, the host's
# root, the rtc device ProtectClock leaves readable, and a umask keeping
# the spool group-readable: 1.1 with systemd 252.  1.5 leaves room for a
# newer systemd's weights, and fails if the sandbox goes: the same units
# without their drop-in must rate above it, which is checked too.  The
# timers fire on crontab.example's minutes, the services run its
# pipelines under pipefail.
. "${0%/*}/lib.sh"

THRESHOLD=1.5
command -v systemd-analyze >/dev/null ||
	t_bail "systemd-analyze is missing (the systemd package): make deps"

U=$SCRATCH/units
mkdir -p "$U"
cp -R "$TOP/systemd/." "$U/"
# systemd-analyze ARGS with the units of DIR (their drop-ins too) first
sa_in() { _u=$1; shift; SYSTEMD_UNIT_PATH=$_u: systemd-analyze "$@"; }

SERVICES="posync-inbound.service posync-outbound.service"
TIMERS="posync-inbound.timer posync-outbound.timer"
t_exit "systemd-analyze verify --man=no: the services and timers" 0 \
	sa_in "$U" verify --man=no $SERVICES $TIMERS
t_is "  and it says nothing" "$(t_err)$(t_out)" ""

# security: the overall exposure, "→ Overall exposure level for X: 1.1 OK"
exposure() {
	sa_in "$1" security --offline=yes "$2" 2>/dev/null |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'
}
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 < b + 0) }'; }
for s in $SERVICES; do
	e=$(exposure "$U" "$s")
	t_diag "systemd-analyze security --offline=yes $s: exposure $e"
	t_ok "$s: exposure $e is below $THRESHOLD" below "$e" "$THRESHOLD"
done
t_diag "$(sa_in "$U" security --offline=yes posync-inbound.service 2>/dev/null | grep '✗')"

# Without the drop-in the same unit must fail the threshold: the check
# can fail, and the sandbox lives in the drop-in alone.
B=$SCRATCH/bare
mkdir -p "$B"
cp "$U"/*.service "$U"/*.timer "$B/"
e=$(exposure "$B" posync-inbound.service)
t_diag "without posync-.service.d: exposure $e"
t_exit "  without its drop-in, posync-inbound.service rates $e, not below" 1 \
	below "$e" "$THRESHOLD"

# Who it runs as: systemd's own reading of User=, with and without the drop-in.
t_like "the services run as a static non-root user" \
	"$(sa_in "$U" security --offline=yes posync-inbound.service 2>/dev/null)" \
	'✓ User=/DynamicUser= +Service runs under a static non-root user identity'
t_like "  which the drop-in sets: without it, root" \
	"$(sa_in "$B" security --offline=yes posync-inbound.service 2>/dev/null)" \
	'✗ User=/DynamicUser= +Service runs as root user'
t_is "  the drop-in's user is posync" "$(sed -n 's/^User=//p' "$U/posync-.service.d/sandbox.conf")" posync

# What the brief of the issue asks for, each in the drop-in.
conf=$(cat "$U/posync-.service.d/sandbox.conf")
for d in 'ProtectSystem=strict' 'ReadWritePaths=-/var/spool/posync -/var/lib/prometheus/node-exporter' \
	'NoNewPrivileges=yes' 'PrivateTmp=yes' 'ProtectHome=yes' 'CapabilityBoundingSet=' \
	'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'SystemCallFilter=@system-service'; do
	t_like "sandbox.conf: $d" "$conf" "^$d\$"
done

# A safety net past posync's own timeouts.  The services are oneshot, so
# it is TimeoutStartSec= (RuntimeMaxSec= does nothing to a oneshot);
# above [sftp] run_timeout's default, which posync.conf(5) gives.
t_like "the services are Type=oneshot" \
	"$(cat "$U/posync-inbound.service" "$U/posync-outbound.service" | grep -c '^Type=oneshot$')" '^2$'
t_is "  no RuntimeMaxSec= (no effect on a oneshot)" \
	"$(grep -h '^RuntimeMaxSec=' "$U"/*.service "$U"/posync-.service.d/*.conf)" ""
limit=$(sed -n 's/^TimeoutStartSec=//p' "$U/posync-.service.d/sandbox.conf")
t_true "sandbox.conf: TimeoutStartSec= is set" -n "$limit"
limit_s=$(systemd-analyze timespan "${limit:-0}" 2>/dev/null | sed -n 's/.*μs: *\([0-9]*\).*/\1/p')
run_timeout=$(sed -n '/^\.It Cm run_timeout /s/.*default \([0-9]*\).*/\1/p' "$TOP/man/posync.conf.5")
t_true "[sftp] run_timeout's default is in posync.conf(5)" -n "$run_timeout"
t_true "  TimeoutStartSec=$limit is above it (${run_timeout:-?} s)" \
	"${limit_s:-0}" -gt "$(( ${run_timeout:-0} * 1000000 ))"

# --- the pipelines and their schedule, against crontab.example -------------

jobs=$(grep -E '^[^#A-Z[:space:]]' "$TOP/crontab.example")
job() { printf '%s\n' "$jobs" | sed -n "${1}p"; }
for n in 1 2; do
	case $n in 1) half=inbound ;; 2) half=outbound ;; esac
	cmd=$(job $n | awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }')
	exec_line=$(sed -n 's/^ExecStart=//p' "$U/posync-$half.service")
	t_is "posync-$half.service runs crontab.example's line $n ($cmd) under pipefail" \
		"$exec_line" "/bin/bash -o pipefail -c '$(printf '%s\n' "$cmd" |
		sed 's#\([a-z-]*\) | \([a-z-]*\)#/usr/bin/\1 | /usr/bin/\2#')'"

	# the command line as systemd runs it (its quotes undone by bash
	# here), each program a stub: the first fails, the second does not,
	# and the run fails with the first's status
	mkdir -p "$SCRATCH/stub"
	for p in $cmd; do
		[ "$p" = "|" ] && continue
		printf '#!/bin/sh\ncat >/dev/null; exit %s\n' "$([ "$p" = "${cmd%% *}" ] && echo 75 || echo 0)" \
			>"$SCRATCH/stub/$p"
		chmod +x "$SCRATCH/stub/$p"
	done
	stubbed=$(printf '%s\n' "$exec_line" | sed "s#/usr/bin/#$SCRATCH/stub/#g")
	t_exit "  when ${cmd%% *} fails (75) and ${cmd##* } does not, the run fails: 75" 75 \
		sh -c "$stubbed"

	# the minutes of an hour each fires on: cron's field, expanded here;
	# the timer's, as systemd computes its next 8 elapses
	cron_min=$(job $n | awk '{ print $1 }' | python3 -c '
import sys
f = sys.stdin.read().strip()
r, _, step = f.partition("/")
lo, hi = (0, 59) if r == "*" else map(int, r.split("-"))
print(" ".join("%02d" % m for m in range(lo, hi + 1, int(step or 1))))')
	cal=$(sed -n 's/^OnCalendar=//p' "$U/posync-$half.timer")
	timer_min=$(systemd-analyze calendar --iterations=8 "$cal" 2>/dev/null |
		sed -n 's/.*Next elapse: .* [0-9][0-9]:\([0-9][0-9]\):00 .*/\1/p;
		        s/.*Iter\. #[0-9]*: .* [0-9][0-9]:\([0-9][0-9]\):00 .*/\1/p' |
		sort -u | tr '\n' ' ' | sed 's/ $//')
	t_is "posync-$half.timer fires on crontab.example's minutes ($cron_min)" \
		"$timer_min" "$cron_min"
	t_like "posync-$half.timer is enabled into timers.target" \
		"$(cat "$U/posync-$half.timer")" '^WantedBy=timers.target$'
done

t_done
