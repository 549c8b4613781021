#!/bin/sh
# 6003-docs -- the documentation a user meets agrees with the code.
#
# Each fact is taken from an independent source and compared with the
# docs: the config keys from common/config.h's struct, the exit statuses
# from common/msg.h's table, the options from each program's --help, the
# version from the Makefile, the install paths from a real `make install`
# into a scratch DESTDIR.
. "${0%/*}/lib.sh"

MAN=$TOP/man
PROGS="po-export-parse po-import receipt-export receipt-push posync-status"
PAGES="po-export-parse.1 po-import.1 receipt-export.1 receipt-push.1 posync-status.1 posync.conf.5 posync.7"
# posync-status exits as a Nagios plugin does, not by msg.h's table
NAGIOS="0 1 2 3 "
# The Makefile's defaults, not whatever the caller's environment says.
unset PREFIX BINDIR MANDIR DESTDIR

# t_skip DESC REASON -- a check that cannot run here, said as TAP SKIP
t_skip() { _t_report 0 "$1 # SKIP $2"; }

# section FILE NAME -- the mdoc source lines of section NAME (.Sh NAME...)
section() {
	awk -v want="$2" '
		/^\.Sh / { sub(/^\.Sh /, ""); on = index($0, want) == 1; next }
		on' "$1"
}

# --- every page exists and is lint-clean --------------------------------

for p in $PAGES; do
	t_true "man/$p exists" -f "$MAN/$p"
done

# mandoc -Tlint also reports, as STYLE, a cross-reference whose page is
# not installed on this host ("referenced manual not found"), and notes
# pages missing from an outdated mandoc.db.  Those say what this host has
# installed, not what the page says; posync's own pages resolve only
# once installed.  So only those two messages are set aside, and only for
# posync's own pages; the cross-references between them are checked
# against man/ below.  Everything else mandoc says is a failure.
own='po-export-parse 1|po-import 1|receipt-export 1|receipt-push 1|posync-status 1|posync\.conf 5|posync 7'
for p in $PAGES; do
	[ -f "$MAN/$p" ] || continue
	got=$(cd "$MAN" && mandoc -Tlint "$p" 2>&1 |
		grep -Ev "STYLE: referenced manual not found: Xr ($own)( \([0-9]+ times\))?\$" |
		grep -v 'outdated mandoc.db lacks')
	t_is "mandoc -Tlint $p reports nothing" "$got" ""
done

for p in $PAGES; do
	[ -f "$MAN/$p" ] || continue
	bad=
	for x in $(awk '$1 == ".Xr" && $2 ~ /^(po-|receipt-|posync)/ { print $2 "." $3 }' "$MAN/$p"); do
		[ -f "$MAN/$x" ] || bad="$bad $x"
	done
	t_is "$p refers only to posync pages that exist" "$bad" ""
done

# --- every config key is documented ---------------------------------------

# "section.key" for each member of the sub-structs of struct config.
keys=$(awk '
	/^struct config \{/ { inside = 1; next }
	inside && /^\};/ { inside = 0 }
	!inside { next }
	{ sub(/\/\*.*\*\//, "") }
	/struct \{/ { sub_ = 1; n = 0; next }
	sub_ && /^[ \t]*\}[ \t]*[a-z_]+;/ {
		s = $0; gsub(/[ \t};]/, "", s)
		for (i = 1; i <= n; i++) print s "." k[i]
		sub_ = 0; next
	}
	sub_ {
		line = $0
		sub(/^[ \t]*(const[ \t]+)?(unsigned[ \t]+)?(char|int|long long|long|double)[ \t]+/, "", line)
		gsub(/[*; \t]/, "", line)
		m = split(line, parts, ",")
		for (i = 1; i <= m; i++) if (parts[i] != "") k[++n] = parts[i]
	}' "$TOP/common/config.h")
nkeys=$(printf '%s\n' "$keys" | grep -c .)
t_true "config.h yields the keys of its four sections ($nkeys)" "$nkeys" -ge 30

# The keys posync.conf.5 documents, as "section.key", from .It Cm KEY
# under each ".Ss The [section] section".
doc=$(awk '
	/^\.Ss / { s = ""; if (match($0, /\[[a-z]+\]/)) s = substr($0, RSTART + 1, RLENGTH - 2); next }
	/^\.Sh / { s = "" }
	s != "" && /^\.It Cm / { print s "." $3 }' "$MAN/posync.conf.5" | sort)
missing=
for k in $keys; do
	printf '%s\n' "$doc" | grep -qx "$k" || missing="$missing $k"
done
t_is "posync.conf.5 documents every key of config.h, in its section" "$missing" ""
extra=
for k in $doc; do
	printf '%s\n' "$keys" | grep -qx "$k" || extra="$extra $k"
done
t_is "posync.conf.5 documents no key config.h lacks" "$extra" ""

ex=$(awk '
	/^\[[a-z]+\]/ { s = substr($1, 2, length($1) - 2); next }
	/^;?[a-z_]+ *=/ { k = $0; sub(/^;/, "", k); sub(/ *=.*/, "", k); print s "." k }' \
	"$TOP/posync.conf.example" | sort)
missing=
for k in $keys; do
	printf '%s\n' "$ex" | grep -qx "$k" || missing="$missing $k"
done
t_is "posync.conf.example shows every key of config.h, in its section" "$missing" ""

# --- every default and range, as common/config.c sets them ---------------

# defaults WHICH -- "key: doc X, config.c Y" for each key whose default (or
# range) in WHICH (example, man, readme) is not config.c's set_defaults()
# value (or its keys[] table's min and max); nothing when all agree.
defaults() {
	python3 - "$TOP" "$1" <<'PY'
import re, sys
top, which = sys.argv[1], sys.argv[2]
src = open(top + "/common/config.c").read()
body = src[src.index("set_defaults(struct config *c)"):]
body = body[:body.index("\n}\n")]
ns = re.search(r'#define NS "([^"]*)"', src).group(1)
keys = {}
for m in re.finditer(r'\{"(\w+)", "(\w+)", (K_\w+), F\([\w.]+\), ([^,]+), ([^}]+)\}', src):
    keys[m.group(1) + "." + m.group(2)] = (m.group(3), m.group(4).strip(), m.group(5).strip())
def cnum(e):  # "30 * 86400", "1LL << 40"
    return eval(e.replace("LL", ""))
d = {}
for m in re.finditer(r'c->(\w+)\.(\w+) = (.*);', body):
    k, v = m.group(1) + "." + m.group(2), m.group(3).strip()
    s = re.fullmatch(r'xstrdup\((NS )?"([^"]*)"\)', v)
    if s:
        v = (ns if s.group(1) else "") + s.group(2)
    elif keys[k][0] == "K_BOOL":
        v = "yes" if v == "1" else "no"
    d[k] = v
bad = []
if which == "example":
    sec = None
    seen = {}
    for line in open(top + "/posync.conf.example"):
        m = re.match(r'\[(\w+)\]', line)
        if m:
            sec = m.group(1); continue
        m = re.match(r';(\w+) = (\S*)', line)
        if m:
            seen[sec + "." + m.group(1)] = m.group(2)
    for k, v in sorted(d.items()):
        if seen.get(k) != v:
            bad.append("%s: example %r, config.c %r" % (k, seen.get(k), v))
elif which == "man":
    sec = None
    for line in open(top + "/man/posync.conf.5"):
        m = re.match(r'\.Ss The \[(\w+)\] section', line)
        if m:
            sec = m.group(1); continue
        m = re.match(r'\.It Cm (\w+) Pq (.*)', line)
        if not m or not sec:
            continue
        k, pq = sec + "." + m.group(1), m.group(2)
        r = re.search(r'number (\d+)\\\(en(\d+)', pq)
        if r and (int(r.group(1)), int(r.group(2))) != (cnum(keys[k][1]), cnum(keys[k][2])):
            bad.append("%s: range %s-%s, config.c %s-%s" % (k, r.group(1), r.group(2), keys[k][1], keys[k][2]))
        r = re.search(r'default (?:Li |Pa )?(\S+)$', pq)
        got = r.group(1) if r else None
        if got is None and pq.endswith("no default"):
            got = "unset"
        want = d.get(k, "unset")
        if got and got.startswith("...") and want.endswith(got[3:]):
            continue
        if got != want:
            bad.append("%s: page %r, config.c %r" % (k, got, want))
elif which == "readme":
    text = open(top + "/README.md").read()
    n_readme = 0
    for item in re.split(r'\n- ', text):
        m = re.match(r'`\[(\w+)\]`', item)
        if not m:
            continue
        sec = m.group(1)
        for km in re.finditer(r'`(\w+)` \(`?([^ ,)`]+)`?( MiB)?', item):
            k, v = sec + "." + km.group(1), km.group(2).rstrip(";")
            if v == "defaults":
                continue
            n_readme += 1
            if km.group(3):
                v = str(int(v) * 1048576)
            if k in keys and k in d and v != d[k]:
                bad.append("%s: README %r, config.c %r" % (k, v, d[k]))
if which == "readme" and n_readme < 15:
    bad.append("only %d defaults found in README's key list" % n_readme)
for b in bad:
    print(b)
PY
}
t_is "posync.conf.example shows config.c's default for every key" "$(defaults example)" ""
t_is "posync.conf.5 gives config.c's default and range for every key" "$(defaults man)" ""
t_is "README's key list gives config.c's defaults" "$(defaults readme)" ""
missing=
for k in $(printf '%s\n' "$keys" | sed 's/.*\.//' | sort -u); do
	grep -q "\`$k\`" "$TOP/README.md" || missing="$missing $k"
done
t_is "README names every key of posync.conf" "$missing" ""

# --- exit statuses: msg.c's table (exits[]) in every page -----------------

want=$(sed -n 's/^	{ \(EX_[A-Z]*\),.*/\1/p' "$TOP/common/msg.c" | while read -r ex; do
	sed -n "s/^#define[ 	]*$ex[ 	]*\([0-9][0-9]*\).*/\1/p" /usr/include/sysexits.h
done | tr '\n' ' ')
t_like "msg.h has an exit table" "$want" '^0 64 65 '
for p in $PAGES; do
	case $p in posync.conf.5) continue ;; esac
	got=$(section "$MAN/$p" "EXIT STATUS" | awk '$1 == ".It" { print $2 }' | tr '\n' ' ')
	case $p in
	posync-status.1) t_is "$p: EXIT STATUS lists Nagios' statuses" "$got" "$NAGIOS" ;;
	*) t_is "$p: EXIT STATUS lists msg.h's statuses" "$got" "$want" ;;
	esac
done
t_is "README.md's exit table lists msg.h's statuses" \
	"$(sed -n '/^### Exit statuses/,/^### /p' "$TOP/README.md" | sed -n 's/^| \([0-9][0-9]*\) .*/\1/p' | tr '\n' ' ')" "$want"
# ...and word for word the same table in each.
first=
for p in $PAGES; do
	case $p in posync.conf.5|posync-status.1) continue ;; esac
	tab=$(section "$MAN/$p" "EXIT STATUS" | sed -n '/^\.Bl/,/^\.El/p')
	if [ -z "$first" ]; then first=$tab; continue; fi
	t_is "$p: the exit table reads as in po-export-parse.1" "$tab" "$first"
done

# --- options: SYNOPSIS and OPTIONS against --help -------------------------

# letters of the flags in mdoc lines ".Op Fl nv", ".It Fl c Ar config"
page_flags() {
	awk '{ for (i = 1; i < NF; i++) if ($i == "Fl" && $(i+1) ~ /^[A-Za-z]/) print $(i+1) }' |
	fold -w1 | sort -u | tr -d '\n'
}
# letters of the flags in usage text: "[-nv]", "-c FILE", "  -V  version"
help_flags() {
	grep -oE '(^|[][ ,|])-[A-Za-z]+' | sed 's/^[^-]*-//' | fold -w1 | sort -u | tr -d '\n'
}
# the letters of $1 missing from $2
missing_letters() {
	printf '%s\n' "$1" | fold -w1 | while read -r c; do
		case $2 in *"$c"*) ;; *) printf '%s' "$c" ;; esac
	done
}

version=$(sed -n 's/^VERSION *= *//p' "$TOP/Makefile")
for prog in $PROGS; do
	page=$MAN/$prog.1
	syn=$(section "$page" SYNOPSIS | page_flags)
	opt=$(section "$page" OPTIONS | page_flags)
	t_like "$prog.1: SYNOPSIS has options" "$syn" '^[a-zA-Z]+$'
	t_is "$prog.1: every SYNOPSIS option is described in OPTIONS" \
		"$(missing_letters "$syn" "$opt")" ""
	bin=$TOP/$prog/$prog
	if [ ! -x "$bin" ]; then
		t_skip "$prog --help agrees with $prog.1" "$prog is not built yet (make all)"
		continue
	fi
	t_exit "$prog --help exits 0" 0 "$bin" --help
	help=$(t_out)
	hf=$(printf '%s\n' "$help" | help_flags)
	t_is "$prog.1: every SYNOPSIS option is in --help" "$(missing_letters "$syn" "$hf")" ""
	t_is "$prog --help: every option is in $prog.1's OPTIONS" "$(missing_letters "$hf" "$opt")" ""
	ex=$want usage=64
	[ "$prog" = posync-status ] && ex=$NAGIOS usage=3
	t_is "$prog --help: its exit table is $([ $usage = 3 ] && echo "Nagios'" || echo "msg.h's")" \
		"$(printf '%s\n' "$help" | sed -n 's/^  *\([0-9][0-9]*\)  .*/\1/p' | tr '\n' ' ')" "$ex"
	t_exit "$prog -V exits 0" 0 "$bin" -V
	t_is "$prog -V names the program and the Makefile's version" "$(t_out)" "$prog posync $version"
	t_exit "$prog with an unknown option exits $usage, as the page says" $usage "$bin" --no-such-option
done

# --- README keeps the two commands at the top -----------------------------

head=$(head -n 6 "$TOP/README.md")
t_like "README.md starts with its title" "$(head -n 1 "$TOP/README.md")" '^# posync$'
t_like "README.md shows make demo at the top" "$head" '^make demo '
t_like "README.md shows make check at the top" "$head" '^make check '

# --- crontab.example against a real install -------------------------------

jobs=$(grep -E '^[^#A-Z[:space:]][^[:space:]]*([[:space:]]+[^[:space:]]+){4}[[:space:]]+[a-z/]' "$TOP/crontab.example")
t_is "crontab.example runs the two pipelines of design.md" \
	"$(printf '%s\n' "$jobs" | awk '{ $1 = $2 = $3 = $4 = $5 = ""; gsub(/^ +/, ""); print }')" \
	"po-export-parse | po-import
receipt-export | receipt-push"
cpath=$(sed -n 's/^PATH=//p' "$TOP/crontab.example")
t_like "crontab.example sets a PATH with /usr/local/bin" "$cpath" '(^|:)/usr/local/bin(:|$)'

built=yes
for prog in $PROGS; do [ -x "$TOP/$prog/$prog" ] || built=no; done
if [ $built = no ]; then
	t_skip "make install DESTDIR=... and the crontab's paths" "the programs are not built yet (make all)"
	t_done; exit
fi
# `make install` depends on `all`; were the built objects' flags (make
# check builds with WERROR=-Werror) not the ones `make install` uses, it
# would rebuild the programs while other tests run them.  So the flags
# stamp is taken as it is (-o), and the test is skipped when the programs
# are out of date with their sources: `make` first.
MK="make -s -C $TOP -o .flags"
if ! $MK -q all; then
	t_skip "make install DESTDIR=... and the crontab's paths" "the programs are older than their sources (make all)"
	t_done; exit
fi
ROOT=$SCRATCH/root
t_ok "make install DESTDIR=\$SCRATCH/root" $MK install DESTDIR="$ROOT"

# each program of the job lines, looked up along the crontab's PATH
for prog in $(printf '%s\n' "$jobs" | awk '{ for (i = 6; i <= NF; i++) if ($i != "|") print $i }'); do
	found=
	IFS=:; for d in $cpath; do
		[ -x "$ROOT$d/$prog" ] && { found=$d/$prog; break; }
	done; unset IFS
	t_true "crontab.example: $prog is installed along its PATH ($found)" -n "$found"
done
# the absolute paths of its commented alternative
for f in $(grep -oE '/usr/[a-z/]+/(po|receipt)-[a-z-]+' "$TOP/crontab.example" | sort -u); do
	t_true "crontab.example: $f is installed" -x "$ROOT$f"
done
for p in $PAGES; do
	s=${p##*.}
	t_ok "man/$p is installed as usr/local/share/man/man$s/$p" \
		cmp "$MAN/$p" "$ROOT/usr/local/share/man/man$s/$p"
done
for prog in $PROGS; do
	t_ok "$prog is installed as usr/local/bin/$prog, the one built" \
		cmp "$TOP/$prog/$prog" "$ROOT/usr/local/bin/$prog"
done
t_is "the installed programs run: po-import -V" \
	"$("$ROOT/usr/local/bin/po-import" -V 2>&1)" "po-import posync $version"
t_ok "README.md is installed in usr/local/share/doc/posync" \
	cmp "$TOP/README.md" "$ROOT/usr/local/share/doc/posync/README.md"
t_ok "posync.conf.example is installed beside it" \
	cmp "$TOP/posync.conf.example" "$ROOT/usr/local/share/doc/posync/posync.conf.example"
t_ok "with the default PREFIX the installed crontab.example is the source's" \
	cmp "$TOP/crontab.example" "$ROOT/usr/local/share/doc/posync/crontab.example"
# modes: programs 755, everything else 644, nothing writable by others
t_is "installed programs are mode 755" \
	"$(find "$ROOT/usr/local/bin" -type f ! -perm 755 | sort)" ""
t_is "installed pages and docs are mode 644" \
	"$(find "$ROOT/usr/local/share" -type f ! -perm 644 | sort)" ""
t_is "nothing is installed outside usr/local" \
	"$(cd "$ROOT" && find . -type f ! -path './usr/local/*' | sort)" ""
nfiles=$(cd "$ROOT" && find . -type f | wc -l)
t_is "make install puts $(echo $PROGS | wc -w) programs, $(echo $PAGES | wc -w) pages, 3 docs" "$nfiles" \
	$(($(echo $PROGS | wc -w) + $(echo $PAGES | wc -w) + 3))
t_ok "make uninstall DESTDIR=\$SCRATCH/root" $MK uninstall DESTDIR="$ROOT"
t_is "make uninstall removes every file make install put" \
	"$(cd "$ROOT" && find . -type f | sort)" ""

# PREFIX: everything under it, and the crontab's paths follow it.
OPT=$SCRATCH/opt
t_ok "make install PREFIX=/opt/posync DESTDIR=\$SCRATCH/opt" \
	$MK install PREFIX=/opt/posync DESTDIR="$OPT"
t_is "every file lands under /opt/posync" \
	"$(cd "$OPT" && find . -type f ! -path './opt/posync/*' | sort)" ""
for prog in $PROGS; do
	t_true "$prog is in /opt/posync/bin" -x "$OPT/opt/posync/bin/$prog"
done
t_true "posync.7 is in /opt/posync/share/man/man7" -f "$OPT/opt/posync/share/man/man7/posync.7"
oc=$OPT/opt/posync/share/doc/posync/crontab.example
t_is "the installed crontab.example's PATH starts with /opt/posync/bin" \
	"$(sed -n 's/^PATH=//p' "$oc")" "/opt/posync/bin:/usr/bin:/bin"
t_is "its commented absolute paths are /opt/posync/bin's" \
	"$(grep -oE '/[a-z/]+/(po|receipt)-[a-z-]+' "$oc" | sed 's#/[^/]*$##' | sort -u)" "/opt/posync/bin"
t_is "its job lines are the source's" "$(grep -v '^#' "$oc" | grep -v '^PATH=')" \
	"$(grep -v '^#' "$TOP/crontab.example" | grep -v '^PATH=')"
t_ok "make uninstall PREFIX=/opt/posync DESTDIR=\$SCRATCH/opt" \
	$MK uninstall PREFIX=/opt/posync DESTDIR="$OPT"
t_is "it removes every file" "$(cd "$OPT" && find . -type f | sort)" ""

t_done
