#!/bin/sh
# One start-up for the four programs (common/prog.c): --help is built in
# one place, so every program lists -c -n -v -h -V with their long forms,
# the options they share in the same words (the config default was
# worded two ways, and receipt-export's --help had no -h); -V prints the
# name the program was called by, never one typed into it (po-import's
# said "po-import" whatever its name); --help and --version are checked
# as a run's output is: to /dev/full they fail, 74.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"

PROGS="po-export-parse po-import receipt-export receipt-push"
version=$(sed -n 's/^VERSION *= *//p' "$TOP/Makefile")
bed_built $PROGS

# the lines every --help must hold, word for word (-c's text on two
# lines since review S: every --help line fits 80 columns, 6023)
shared='  -c, --config FILE    configuration (else $POSYNC_CONFIG,
  -v, --verbose        progress on stderr
  -h, --help           this help
  -V, --version        the program'"'"'s name and posync'"'"'s version'

for p in $PROGS; do
	t_exit "$p --help: exit 0" 0 "$p" --help
	help=$(t_out)
	t_like "... the usage line first, with its name" "$(printf '%s\n' "$help" | head -n 1)" \
		"^usage: $p \[-nv\] \[-c config\]"
	t_is "... -c -v -h -V and their long forms, in the words every program uses" \
		"$(printf '%s\n' "$help" | grep -E '^  -[cvhV], --')" "$shared"
	t_is "... -c's second line under its first" \
		"$(printf '%s\n' "$help" | grep -A1 '^  -c, --' | sed -n 2p)" \
		'                       else /etc/posync/posync.conf)'
	t_like "... -n and --dry-run, with what a dry run of $p does" "$help" \
		'^  -n, --dry-run        dry run: '
	t_like "... then the exit table" "$(printf '%s\n' "$help" | grep -A1 '^exit status:$')" \
		'^  0   done$'
	t_exit "$p -h: exit 0" 0 "$p" -h
	t_is "... the same text as --help" "$(t_out)" "$help"

	ln -sf "$(command -v "$p")" "$SCRATCH/another-name"
	t_exit "$p through a link named another-name, -V: exit 0" 0 "$SCRATCH/another-name" -V
	t_is "... prints the name it was called by" "$(t_out)" "another-name posync $version"
	t_exit "... --help too" 0 "$SCRATCH/another-name" --help
	t_like "... names it in the usage line" "$(t_out)" "^usage: another-name "
	t_exit "$p --version: exit 0" 0 "$p" --version
	t_is "... prints its name and posync's version" "$(t_out)" "$p posync $version"

	for o in --help --version; do
		t_exit "$p $o, stdout /dev/full: exit 74" 74 sh -c '"$@" >/dev/full' - "$p" "$o"
		t_is "... said" "$(t_err)" "$p: writing to standard output: No space left on device"
	done
done
t_done
