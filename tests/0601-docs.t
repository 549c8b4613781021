#!/bin/sh
# 0601-docs -- the documentation a user meets agrees with the code.
#
# Each fact is taken from an independent source and compared with the
# docs: the config keys from common/config.h's struct, the exit statuses
# from common/msg.h's table, the options from each program's --help, the
# version from the Makefile, the install paths from a real `make install`
# into a scratch DESTDIR.
. "${0%/*}/lib.sh"

MAN=$TOP/man
PROGS="po-export-parse po-import receipt-export receipt-push"
PAGES="po-export-parse.1 po-import.1 receipt-export.1 receipt-push.1 posync.conf.5 posync.7"
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
own='po-export-parse 1|po-import 1|receipt-export 1|receipt-push 1|posync\.conf 5|posync 7'
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

# --- exit statuses: msg.h's table in every page ---------------------------

want=$(sed -n 's/^ \*  *\([0-9][0-9]*\)  *EX_[A-Z]*.*/\1/p' "$TOP/common/msg.h" | tr '\n' ' ')
t_like "msg.h has an exit table" "$want" '^0 64 65 '
for p in $PAGES; do
	case $p in posync.conf.5) continue ;; esac
	got=$(section "$MAN/$p" "EXIT STATUS" | awk '$1 == ".It" { print $2 }' | tr '\n' ' ')
	t_is "$p: EXIT STATUS lists msg.h's statuses" "$got" "$want"
done
# ...and word for word the same table in each.
first=
for p in $PAGES; do
	case $p in posync.conf.5) continue ;; esac
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
	t_is "$prog --help: its exit table is msg.h's" \
		"$(printf '%s\n' "$help" | sed -n 's/^  *\([0-9][0-9]*\)  .*/\1/p' | tr '\n' ' ')" "$want"
	t_exit "$prog -V exits 0" 0 "$bin" -V
	t_is "$prog -V names the program and the Makefile's version" "$(t_out)" "$prog posync $version"
	t_exit "$prog with an unknown option exits 64, as the page says" 64 "$bin" --no-such-option
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
ROOT=$SCRATCH/root
t_ok "make install DESTDIR=\$SCRATCH/root" make -s -C "$TOP" install DESTDIR="$ROOT"

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

t_done
