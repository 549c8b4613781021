#!/bin/sh
# 6032-hacking -- the shape HACKING promises a newcomer: every module in
# common/ is named in its map (and nothing it names is missing), no
# function in the code, nor in the test C code, is longer than 80 lines,
# and receipt-export.c keeps only the order of its steps (under 500
# lines).
. "${0%/*}/lib.sh"

H="$TOP/HACKING"
t_true "HACKING exists" -s "$H"

# The names in the map: lines of the "WHO OWNS" section that start with
# two spaces and a lower-case name.
named=$(awk '/^WHO OWNS/ { on = 1; next } /^[A-Z]/ { on = 0 }
	on && /^  [a-z_]+ / { print $1 }' "$H" | sort)
t_true "the map names at least 20 modules" "$(printf '%s\n' "$named" | grep -c .)" -ge 20

have=$(cd "$TOP/common" && ls *.c | sed 's/\.c$//' | sort)
missing= extra=
for m in $have; do
	printf '%s\n' "$named" | grep -qx "$m" || missing="$missing $m"
done
for m in $named; do
	printf '%s\n' "$have" | grep -qx "$m" || extra="$extra $m"
done
t_is "every common/*.c is in HACKING's map" "$missing" ""
t_is "HACKING's map names no module that is gone" "$extra" ""

# README's layout names every module too (it points to HACKING).
layout=$(awk '/^## Layout/ { on = 1; next } on && /^## / { on = 0 } on' "$TOP/README.md")
missing=
for m in $have; do
	printf '%s\n' "$layout" | grep -qw -- "$m" || missing="$missing $m"
done
t_is "README's layout names every common/*.c" "$missing" ""

# funclen.awk itself: a 3-line and an 82-line function, told apart.
f="$SCRATCH/shape.c"
{ printf 'int\nshort_one(void)\n{\n\treturn 0;\n}\n\nint\nlong_one(void)\n{\n'
  i=0; while [ $i -lt 80 ]; do printf '\ti++;\n'; i=$((i + 1)); done
  printf '}\n'; } >"$f"
t_like "funclen.awk finds an 82-line function" \
	"$(awk -v MAX=80 -f "$TOP/tests/funclen.awk" "$f")" '^82 .*long_one'
t_is "  and nothing else" \
	"$(awk -v MAX=80 -f "$TOP/tests/funclen.awk" "$f" | grep -c short_one)" 0

long=$(cd "$TOP" && awk -v MAX=80 -f tests/funclen.awk common/*.c \
	po-export-parse/*.c po-import/*.c receipt-export/*.c receipt-push/*.c)
t_is "no function in common/ or the programs is over 80 lines" "$long" ""
# the test C code too, its own check: a failure says which part
long=$(cd "$TOP" && awk -v MAX=80 -f tests/funclen.awk tests/unit/*.c \
	tests/fuzz/*.c)
t_is "no function in tests/unit/ or tests/fuzz/ is over 80 lines" "$long" ""

n=$(wc -l <"$TOP/receipt-export/receipt-export.c")
t_true "receipt-export.c is under 500 lines ($n)" "$n" -lt 500

t_done
