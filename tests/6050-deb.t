#!/bin/sh
# 6050-deb -- `make deb` builds posync_VERSION_ARCH.deb from a copy of
# the tree (the tree's own build is left alone), lintian finds no error
# and no warning in it, and it holds what the README promises: every
# program and page `make install` installs, the systemd units as in
# systemd/, the cron.d file (its jobs commented out, crontab.example's
# schedule), the configuration as a conffile; its maintainer scripts
# parse.  As root, and only on a machine that has no trace of posync,
# the package is installed for real with dpkg -i and purged twice (once
# clean, once with a file an admin added), and the machine is left as it
# was.
. "${0%/*}/lib.sh"

# t_skip DESC REASON -- a check that cannot run here, said as TAP SKIP
t_skip() { _t_report 0 "$1 # SKIP $2"; }

# need_pkgs PKG... -- installed, or installed now as root (tests/deps.sh),
# or the file is skipped: the one case this test may skip for.
need_pkgs() {
	sh "$TOP/tests/deps.sh" "$@" >"$SCRATCH/deps.err" 2>&1 ||
		t_skip_all "missing and not installable here: $* (make deps as root)"
}
need_pkgs dpkg-dev debhelper lintian
SRC=$SCRATCH/src
mkdir -p "$SRC"
(cd "$TOP" && tar --exclude=./.git --exclude=./build --exclude='*.o' \
	--exclude='*.a' --exclude=./tests/unit/obj -cf - .) | tar -C "$SRC" -xf -
unmet=$(cd "$SRC" && dpkg-checkbuilddeps 2>&1 |
	sed -n 's/.*Unmet build dependencies: //p' | sed 's/([^)]*)//g; s/|[^ ]*//g')
[ -z "$unmet" ] || need_pkgs $unmet

version=$(sed -n 's/^VERSION *= *//p' "$TOP/Makefile")
arch=$(dpkg --print-architecture)
deb=$SRC/build/deb/posync_${version}_$arch.deb

# --- the build and lintian ----------------------------------------------

# The tree's own build outputs, which debian/rules clean (make clean)
# would delete: make deb builds in a copy and leaves them.
keep="build/fuzz/corpus/po-csv/keep build/san/keep tests/unit/obj/keep"
for k in $keep; do mkdir -p "$SRC/${k%/*}" && echo keep >"$SRC/$k"; done
t_ok "make deb builds the package" make -s -C "$SRC" deb
for k in $keep; do
	t_true "  and leaves the tree's $k" -f "$SRC/$k"
done
t_true "  and its copy of the tree, build/deb/src, is gone" ! -e "$SRC/build/deb/src"
t_true "it is build/deb/posync_${version}_$arch.deb" -f "$deb"
[ -f "$deb" ] || { t_done; exit; }
t_is "its version is the Makefile's (debian/changelog agrees)" \
	"$(dpkg-deb -f "$deb" Version)" "$version"
t_like "it depends on adduser (postinst makes the user)" \
	"$(dpkg-deb -f "$deb" Depends)" '(^|, )adduser(,|$)'

# Everything lintian says, info, pedantic and overridden tags too, is
# shown; an error or a warning fails.
# One run of lintian (the slowest step); make check's sanitizer pass,
# which runs this test again for its root part, leaves it to the first.
if [ -n "${POSYNC_SANITIZED:-}" ]; then
	t_skip "lintian" "run by make check's first pass; the package is the same"
else
	# (--fail-on would count the overridden tags --show-overrides shows)
	lintian -I --pedantic --show-overrides "$deb" >"$SCRATCH/lintian" 2>&1
	t_is "lintian exits 0" "$?" 0
	t_diag "lintian -I --pedantic --show-overrides ($(lintian --version)):"
	t_diag "$(grep -v '^running with root privileges' "$SCRATCH/lintian")"
	t_is "lintian: no error, no warning" "$(grep -E '^[EW]: ' "$SCRATCH/lintian")" ""
fi
# an override says why, in a comment right above it
t_is "every lintian override has its reason in a comment above it" \
	"$(awk '/^[^#]/ && prev !~ /^#/ { print } { prev = $0 }' \
	"$TOP/debian/posync.lintian-overrides")" ""

# --- contents: every program, page, unit; owners and modes --------------

# "MODE OWNER PATH" for each entry, "./" and "/" off the path
dpkg-deb -c "$deb" | awk '{ p = $6; sub(/^\.\//, "", p); sub(/\/$/, "", p);
	if (p != "") print $1, $2, p }' >"$SCRATCH/list"
mode_of() { awk -v p="$1" '$3 == p { print $1 }' "$SCRATCH/list"; }

progs=$(printf 'print-progs:\n\t@echo $(notdir $(PROGS))\n' |
	make -s --no-print-directory -C "$TOP" -f Makefile -f - print-progs)
t_true "the Makefile names its programs" -n "$progs"
for p in $progs; do
	t_is "usr/bin/$p, mode 755" "$(mode_of "usr/bin/$p")" "-rwxr-xr-x"
done
t_is "usr/bin holds the Makefile's programs and nothing else" \
	"$(awk '$3 ~ /^usr\/bin\// { sub(/.*\//, "", $3); print $3 }' "$SCRATCH/list" | sort)" \
	"$(printf '%s\n' $progs | sort)"
for m in "$TOP"/man/*.[157]; do
	m=${m##*/}
	t_is "man page $m, mode 644" "$(mode_of "usr/share/man/man${m##*.}/$m.gz")" "-rw-r--r--"
done
# dh_compress gzips a document over 4 KiB: either name will do
for d in README.md posync.conf.example crontab.example copyright; do
	m=$(mode_of "usr/share/doc/posync/$d")
	[ -n "$m" ] || m=$(mode_of "usr/share/doc/posync/$d.gz")
	t_is "usr/share/doc/posync/$d (or .gz)" "$m" "-rw-r--r--"
done
units="posync-inbound.service posync-inbound.timer posync-outbound.service
	posync-outbound.timer posync-.service.d/sandbox.conf"
for u in $units; do
	t_is "lib/systemd/system/$u, mode 644" "$(mode_of "lib/systemd/system/$u")" "-rw-r--r--"
done
t_is "etc/cron.d/posync, mode 644" "$(mode_of etc/cron.d/posync)" "-rw-r--r--"
t_is "etc/posync/posync.conf, mode 644 (the folder, 0750, keeps others out)" \
	"$(mode_of etc/posync/posync.conf)" "-rw-r--r--"
t_is "every entry is root's" "$(awk '$2 != "root/root"' "$SCRATCH/list")" ""
t_is "nothing is writable by group or others" \
	"$(awk 'substr($1, 6, 1) == "w" || substr($1, 9, 1) == "w"' "$SCRATCH/list")" ""
t_is "nothing outside etc/posync, etc/cron.d, lib/systemd/system, usr/" \
	"$(awk '$3 !~ /^(etc|lib|lib\/systemd)$/ &&
		$3 !~ /^(etc\/posync|etc\/cron\.d|lib\/systemd\/system|usr)(\/|$)/' "$SCRATCH/list")" ""

X=$SCRATCH/x
dpkg-deb -x "$deb" "$X"
for u in $units; do
	t_ok "lib/systemd/system/$u is systemd/$u" cmp "$TOP/systemd/$u" "$X/lib/systemd/system/$u"
done
t_ok "etc/posync/posync.conf is posync.conf.example" \
	cmp "$TOP/posync.conf.example" "$X/etc/posync/posync.conf"
t_is "the installed crontab.example names /usr/bin" \
	"$(sed -n 's/^PATH=//p' "$X/usr/share/doc/posync/crontab.example")" "/usr/bin:/usr/bin:/bin"
for p in $progs; do
	t_is "usr/bin/$p runs: -V" "$("$X/usr/bin/$p" -V 2>&1)" "$p posync $version"
done

# cron.d: the jobs are commented out, and are crontab.example's (its
# five time fields and command) with the user field added.
cron=$X/etc/cron.d/posync
t_is "cron.d/posync: no job line is active" \
	"$(grep -Ev '^[[:space:]]*(#|$|[A-Z_]+=)' "$cron")" ""
jobs() { awk '{ $1 = $1; print }'; }
want=$(grep -E '^[^#A-Z[:space:]]' "$TOP/crontab.example" | jobs)
# each job starts with [ -x /usr/bin/PROG ] && (Debian Policy 9.5: the
# file outlives an apt remove), PROG its pipeline's first program
guard='\[ -x /usr/bin/\([a-z-]*\) \] && \(\1 | \)'
t_is "cron.d/posync: each job checks its first program is there" \
	"$(grep -E '^#[*0-9]' "$cron" | grep -vc "$guard")" 0
got=$(grep -E '^#[*0-9]' "$cron" | sed 's/^#//; s#'"$guard"'#\2#' |
	awk '$6 == "posync" { $6 = ""; print }' | jobs)
t_true "crontab.example has two job lines" "$(printf '%s\n' "$want" | grep -c .)" -eq 2
t_is "cron.d/posync's commented jobs are crontab.example's, run as posync" "$got" "$want"

# --- control: conffiles and maintainer scripts --------------------------

C=$SCRATCH/control
dpkg-deb -e "$deb" "$C"
t_is "conffiles: the cron.d file and posync.conf" "$(sort "$C/conffiles")" \
	"/etc/cron.d/posync
/etc/posync/posync.conf"
for s in preinst postinst prerm postrm; do
	[ -f "$C/$s" ] || continue
	t_ok "$s parses (sh -n)" sh -n "$C/$s"
	t_like "$s stops at the first error (set -e)" "$(head -n 12 "$C/$s")" '^set -e$'
done
t_true "postinst and postrm are there" -f "$C/postinst" -a -f "$C/postrm"
t_like "postinst makes a system user" "$(cat "$C/postinst")" 'adduser --system --ingroup posync'
t_like "postrm removes the spool on purge only" "$(sed -n '/^purge)/,/;;/p' "$C/postrm")" \
	'rm -rf /var/spool/posync'
t_like "postinst gives the user a comment" "$(cat "$C/postinst")" '--comment "\$COMMENT"'
comment=$(sed -n "s/^COMMENT='\([^']*\)'.*/\1/p" "$C/postinst")
t_true "  which is set" -n "$comment"
t_is "postrm knows the users postinst made by that comment" \
	"$(sed -n "s/^COMMENT='\([^']*\)'.*/\1/p" "$C/postrm")" "$comment"

# --- as root: dpkg -i, then purge -----------------------------------------

if [ "$(id -u)" != 0 ]; then
	t_skip "dpkg -i and purge" "installing a package needs root"
	t_done; exit
fi
# What of posync the machine holds; the same after the test, or it failed.
traces() {
	dpkg-query -W -f='${Status}\n' posync 2>/dev/null | grep -v '^unknown'
	getent passwd posync; getent group posync
	dpkg-statoverride --list | grep posync
	ls -d /etc/posync /etc/cron.d/posync /lib/systemd/system/posync-* /var/lib/posync 2>/dev/null
	ls /var/lib/systemd/deb-systemd-helper-enabled 2>/dev/null | grep posync
}
before=$(traces)
if [ -n "$before" ]; then
	t_skip "dpkg -i and purge" "this machine holds posync already: $(echo $before)"
	t_done; exit
fi
# A spool with no posync user, package or configuration is what a
# program run with the default configuration left: it is set aside (on
# this filesystem, by rename) and put back as it was.
SAVED= spool_was=
if [ -e /var/spool/posync ]; then
	SAVED=/var/spool/posync.6050.$$
	spool_was=$(ls -lR /var/spool/posync)
	mv /var/spool/posync "$SAVED" || t_bail "cannot set /var/spool/posync aside"
fi
# uninstall -- what a round of this test left; /var/spool/posync is the
# package's now (the machine's own, if any, is set aside)
uninstall() {
	dpkg --purge posync
	rm -f /etc/posync/hotwax.token; rmdir /etc/posync
	getent passwd posync && userdel posync
	getent group posync && groupdel posync
	rm -rf /var/spool/posync /var/lib/posync
}
RESTORED=
restore() {
	[ -z "$RESTORED" ] || return 0
	uninstall
	[ -z "$SAVED" ] || mv "$SAVED" /var/spool/posync
	RESTORED=yes
}
t_at_exit restore

# dpkg_run ARGS... -- dpkg, waiting while another dpkg or apt holds the lock
dpkg_run() {
	_n=0
	while ! dpkg "$@" >"$SCRATCH/dpkg.out" 2>&1; do
		grep -q 'lock' "$SCRATCH/dpkg.out" && [ $_n -lt 150 ] || {
			cat "$SCRATCH/dpkg.out" >&2; return 1; }
		_n=$((_n + 1)); sleep 2
	done
}

t_ok "dpkg -i installs it" dpkg_run -i "$deb"
pw=$(getent passwd posync)
t_like "a posync user, a system one, with no shell" "$pw" \
	'^posync:x:[0-9]+:[0-9]+:.*:/var/spool/posync:/usr/sbin/nologin$'
t_true "its uid is a system one" "$(id -u posync)" -lt 1000
t_is "its group is posync" "$(id -gn posync)" "posync"
t_is "/etc/posync: root:posync 750" "$(stat -c '%U:%G %a' /etc/posync)" "root:posync 750"
t_is "/var/spool/posync: posync:posync 750" \
	"$(stat -c '%U:%G %a' /var/spool/posync)" "posync:posync 750"
t_ok "posync reads posync.conf" runuser -u posync -- test -r /etc/posync/posync.conf
t_exit "nobody else does" 1 runuser -u nobody -- test -r /etc/posync/posync.conf
t_ok "posync writes its spool" runuser -u posync -- touch /var/spool/posync/probe
t_is "the installed programs run as posync: po-import -V" \
	"$(runuser -u posync -- /usr/bin/po-import -V 2>&1)" "po-import posync $version"
t_is "the timers are disabled" \
	"$(systemctl --root=/ is-enabled posync-inbound.timer posync-outbound.timer 2>&1)" \
	"disabled
disabled"
t_exit "systemd-analyze verify: the installed units" 0 systemd-analyze verify \
	posync-inbound.service posync-inbound.timer posync-outbound.service posync-outbound.timer
t_is "  and it says nothing about them" "$(t_err)" ""
t_like "posync-inbound.service runs as a static non-root user" \
	"$(systemd-analyze security --offline=yes posync-inbound.service 2>&1)" \
	'✓ User=/DynamicUser= +Service runs under a static non-root user identity'
t_is "  which is posync (the last User= of the unit and its drop-ins)" \
	"$(cat /lib/systemd/system/posync-inbound.service /lib/systemd/system/posync-.service.d/*.conf |
	sed -n 's/^User=//p' | tail -n 1)" "posync"

t_ok "dpkg --purge removes it" dpkg_run --purge posync
t_is "nothing of posync is left: user, group, files, spool, overrides" "$(traces)" ""
t_true "the spool is gone" ! -e /var/spool/posync

# An admin's file in /etc/posync: purge keeps it, and the user it
# belongs to, and says so.
t_ok "dpkg -i again" dpkg_run -i "$deb"
install -m 600 -o posync -g posync /dev/null /etc/posync/hotwax.token
t_ok "dpkg --purge with a token file an admin put in /etc/posync" dpkg_run --purge posync
t_like "  it says the user is kept" "$(cat "$SCRATCH/dpkg.out")" \
	'^posync: /etc/posync still holds files: the user posync is kept$'
t_is "  the token is still there, posync's" "$(stat -c %U /etc/posync/hotwax.token)" "posync"
t_true "  the spool is gone" ! -e /var/spool/posync
# A posync user made before the package, as the Containerfile makes it
# (its groupadd and useradd, with a free system id): postinst keeps it,
# and purge, which deletes only the user postinst made, keeps it too.
uninstall >/dev/null 2>&1
id=990
while getent passwd $id >/dev/null || getent group $id >/dev/null; do id=$((id - 1)); done
mkuser=$(sed -n '/^RUN groupadd/,/[^\\]$/p' "$TOP/contrib/kubernetes/Containerfile" |
	sed 's/^RUN //; s/\\$//' | tr '\n' ' ')
t_like "the Containerfile makes the user with groupadd and useradd" "$mkuser" \
	'^groupadd .*&& +useradd '
t_ok "the Containerfile's user, made with id $id" env POSYNC_UID=$id sh -c "$mkuser"
t_ok "dpkg -i" dpkg_run -i "$deb"
t_is "  keeps its ids" "$(id -u posync):$(id -g posync)" "$id:$id"
t_is "  gives it the spool" "$(stat -c '%u:%g %a' /var/spool/posync)" "$id:$id 750"
t_ok "dpkg --purge" dpkg_run --purge posync
t_is "  keeps a user postinst did not make" "$(id -u posync 2>&1)" "$id"
t_true "  the spool is gone" ! -e /var/spool/posync

t_true "  and /var/lib/posync, its marks, are gone" ! -e /var/lib/posync

# A spool there before the package, root's, holding a state file (a run
# as root did it): postinst says so and leaves it; purge keeps it.
uninstall >/dev/null 2>&1
install -d -m 750 /var/spool/posync /var/spool/posync/state
echo keep >/var/spool/posync/state/receipt-export.state
t_ok "dpkg -i with a root-owned spool holding files" dpkg_run -i "$deb"
t_like "  it says the spool is left as it was" "$(cat "$SCRATCH/dpkg.out")" \
	'^posync: /var/spool/posync was there before the package, holding files, owned by root:root: left as it is'
t_is "  the spool is still root's" "$(stat -c '%U:%G %a' /var/spool/posync)" "root:root 750"
t_ok "dpkg --purge" dpkg_run --purge posync
t_like "  it says the spool is kept" "$(cat "$SCRATCH/dpkg.out")" \
	'^posync: /var/spool/posync was there before the package: kept$'
t_is "  with its file" "$(cat /var/spool/posync/state/receipt-export.state 2>&1)" keep

# One holding folders alone: it is posync's after, and still kept by purge.
uninstall >/dev/null 2>&1
install -d -m 755 /var/spool/posync/state /var/spool/posync/po
t_ok "dpkg -i with a spool of root's folders alone" dpkg_run -i "$deb"
t_like "  it says the spool is posync's now" "$(cat "$SCRATCH/dpkg.out")" \
	'^posync: /var/spool/posync was there before the package, root.s folders alone: they are posync.s now'
t_is "  the spool is posync's, 750" "$(stat -c '%U:%G %a' /var/spool/posync)" "posync:posync 750"
t_is "  and its folders" "$(stat -c '%U:%G' /var/spool/posync/state)" "posync:posync"
t_ok "  posync writes it" runuser -u posync -- touch /var/spool/posync/state/probe
t_ok "dpkg --purge" dpkg_run --purge posync
t_true "  keeps it" -d /var/spool/posync/state

# A posync user that is an ordinary one (the README: kept): postinst
# does not fail on it.
uninstall >/dev/null 2>&1
id=1999
while getent passwd $id >/dev/null || getent group $id >/dev/null; do id=$((id - 1)); done
useradd -U -u $id -M -d /nonexistent -s /usr/sbin/nologin posync
t_ok "dpkg -i with an ordinary posync user ($id)" dpkg_run -i "$deb"
t_is "  keeps it" "$(id -u posync)" "$id"
t_is "  gives it the spool" "$(stat -c %U:%G /var/spool/posync)" posync:posync
t_ok "dpkg --purge" dpkg_run --purge posync
t_is "  keeps the user and its group" "$(id -u posync):$(getent group posync | cut -d: -f3)" "$id:$id"

# A posync system user with no posync group: postinst makes the group
# and puts the user in it.
uninstall >/dev/null 2>&1
useradd -r -N -g nogroup -M -d /var/spool/posync -s /usr/sbin/nologin posync
t_ok "dpkg -i with a posync system user and no posync group" dpkg_run -i "$deb"
t_true "  makes the group" -n "$(getent group posync)"
t_like "  puts the user in it" "$(id -Gn posync)" '(^| )posync( |$)'
t_ok "  posync reads posync.conf" runuser -u posync -- test -r /etc/posync/posync.conf
t_ok "dpkg --purge" dpkg_run --purge posync
t_true "  keeps the user" -n "$(getent passwd posync)"

# A posync group made by hand, no user: postinst makes the user in it,
# purge deletes the user and keeps the group.
uninstall >/dev/null 2>&1
groupadd -g $id posync
t_ok "dpkg -i with a posync group ($id) and no user" dpkg_run -i "$deb"
t_is "  the user's group is it" "$(id -g posync)" "$id"
t_ok "dpkg --purge" dpkg_run --purge posync
t_true "  deletes the user it made" -z "$(getent passwd posync)"
t_is "  keeps the group it did not" "$(getent group posync | cut -d: -f3)" "$id"

# apt remove keeps /etc/cron.d/posync (a conffile): its jobs, enabled,
# then do nothing and print nothing (cron would mail it every 15 minutes).
uninstall >/dev/null 2>&1
t_ok "dpkg -i" dpkg_run -i "$deb"
sed -i 's/^#\(\*\/15\|5-59\/15\)/\1/' /etc/cron.d/posync
t_ok "dpkg --remove with the cron jobs enabled" dpkg_run --remove posync
t_true "  keeps /etc/cron.d/posync" -f /etc/cron.d/posync
grep -E '^[0-9*]' /etc/cron.d/posync >"$SCRATCH/cronjobs"
t_true "  with its two jobs" "$(grep -c . "$SCRATCH/cronjobs")" -eq 2
while read -r m h dom mon dow user cmd; do
	t_is "  cron runs \"$cmd\": it prints nothing" \
		"$(cd / && runuser -u "$user" -- env -i PATH=/usr/bin:/bin /bin/sh -c "$cmd" 2>&1)" ""
done <"$SCRATCH/cronjobs"

restore >/dev/null 2>&1
t_is "the machine is as it was" "$(traces)" "$before"
[ -z "$spool_was" ] || t_is "the spool set aside is back" \
	"$(ls -lR /var/spool/posync 2>/dev/null)" "$spool_was"

t_done
