#!/bin/sh
# 6016-sanitize-bindir -- what `make check-sanitize` relies on: lib.sh runs
# the programs of $POSYNC_BINDIR (build/san there) instead of the tree's
# own, and a memory error in a program so built fails loudly, its report
# on stderr, under the sanitizer options the Makefile sets.  Run by `make
# check` (against the normal build) and by `make check-sanitize` (against
# build/san, where every program found must be a sanitizer build).
. "${0%/*}/lib.sh"
unset MAKEFLAGS MFLAGS MAKELEVEL
PROGS="po-export-parse po-import receipt-export receipt-push posync-status"

# --- lib.sh honours POSYNC_BINDIR, PROG/PROG layout, before the tree's
mkdir -p "$SCRATCH/t" "$SCRATCH/bin/po-import" "$SCRATCH/po-import"
for f in "$SCRATCH/bin/po-import/po-import" "$SCRATCH/po-import/po-import"; do
	printf '#!/bin/sh\necho fake\n' >"$f" && chmod +x "$f"
done
cp "$TOP/tests/lib.sh" "$SCRATCH/t/lib.sh"
# the probe sits beside a copy of lib.sh, so TOP is the scratch folder
printf '. "${0%%/*}/lib.sh"\ncommand -v po-import\n' >"$SCRATCH/t/probe.t"
t_ok "with POSYNC_BINDIR set, lib.sh finds its programs first" \
	env POSYNC_BINDIR="$SCRATCH/bin" sh "$SCRATCH/t/probe.t"
t_is "  po-import is the one in POSYNC_BINDIR" "$(t_out)" "$SCRATCH/bin/po-import/po-import"
t_ok "without it, the tree's own" env -u POSYNC_BINDIR sh "$SCRATCH/t/probe.t"
t_is "  po-import is TOP/po-import/po-import" "$(t_out)" "$SCRATCH/po-import/po-import"

# --- under make check-sanitize, every program run is a sanitizer build
if [ -n "${POSYNC_BINDIR:-}" ]; then
	for p in $PROGS; do
		t_is "$p on PATH is POSYNC_BINDIR's" "$(command -v "$p")" \
			"$POSYNC_BINDIR/$p/$p"
		t_true "  built with AddressSanitizer" \
			"$(nm "$POSYNC_BINDIR/$p/$p" 2>/dev/null | grep -c __asan_init)" -gt 0
	done
fi

# --- a memory error under the Makefile's sanitizer options fails loudly
env=$(make -s -C "$TOP" print-san-env 2>/dev/null)
t_like "make print-san-env gives the options check-sanitize runs with" "$env" \
	'ASAN_OPTIONS=.*halt_on_error=1'
cat >"$SCRATCH/oob.c" <<'C'
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	char *p = malloc(4);
	(void)argv;
	memset(p, 'x', 4 + (size_t)argc);	/* one byte past the end */
	free(p);
	return 0;
}
C
t_ok "a program with a heap overflow builds with the sanitizers" \
	cc -g -fsanitize=address,undefined -o "$SCRATCH/oob" "$SCRATCH/oob.c"
t_exit "  and, run as check-sanitize runs it, aborts (SIGABRT)" 134 \
	sh -c 'env $1 "$2"' sh "$env" "$SCRATCH/oob"
t_like "  with the report on stderr" "$(t_err)" 'AddressSanitizer: heap-buffer-overflow'
t_done
