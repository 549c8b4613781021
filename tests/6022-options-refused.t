#!/bin/sh
# A bad command line is 64 in every program: one message that starts with
# the program's name (getopt's own began with argv[0] as typed, a whole
# path when run by one) and shows the option escaped (getopt printed it
# raw, so a terminal got its control bytes), then the usage on stderr.
# An option's argument missing is said the same way; receipt-export,
# which takes no file, refuses one; a bad --start-at TIME is said alone.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"

PROGS="po-export-parse po-import receipt-export receipt-push"
bed_built $PROGS
ESC=$(printf '\033')

for p in $PROGS; do
	bin=$(command -v "$p")
	t_exit "$p --no-such-option, run by its path: 64" 64 "$bin" --no-such-option
	t_is "... one message starting with its name" "$(t_err | head -n 1)" \
		"$p: unknown or ambiguous option: \"--no-such-option\""
	t_like "... then the usage" "$(t_err | sed -n 2p)" "^usage: $p \[-nv\] \[-c config\]"
	t_like "... the usage ends with the exit table" "$(t_err | tail -n 1)" '^  78  configuration error$'
	t_true "... and nothing on stdout" -z "$(t_out)"
	t_exit "$p -x: 64" 64 "$p" -x
	t_is "... said" "$(t_err | head -n 1)" "$p: unknown option: \"-x\""
	t_exit "$p with an escape in an option: 64" 64 "$p" "--a${ESC}[2Jb"
	t_is "... the escape shown, not sent" "$(t_err | head -n 1)" \
		"$p: unknown or ambiguous option: \"--a\\x1b[2Jb\""
	t_true "... no raw escape byte on stderr" "$(t_err | tr -cd '\033' | wc -c)" -eq 0
	t_exit "$p -c without its file: 64" 64 "$p" -c
	t_is "... said" "$(t_err | head -n 1)" "$p: option needs an argument: \"-c\""
	t_exit "$p --config without its file: 64" 64 "$p" --config
	t_is "... said" "$(t_err | head -n 1)" "$p: option needs an argument: \"--config\""
	t_exit "$p --verbose=yes: 64" 64 "$p" --verbose=yes
	t_is "... said" "$(t_err | head -n 1)" "$p: option takes no argument: \"--verbose=yes\""
	t_exit "$p --ver (--verbose or --version?): 64" 64 "$p" --ver
	t_is "... said" "$(t_err | head -n 1)" "$p: unknown or ambiguous option: \"--ver\""
done

t_exit "receipt-export with a file argument: 64" 64 receipt-export some.json
t_is "... said" "$(t_err | head -n 1)" "receipt-export: takes no file arguments: \"some.json\""
t_like "... with the usage" "$(t_err | sed -n 2p)" "^usage: receipt-export "
t_exit "receipt-export --start-at without TIME: 64" 64 receipt-export --start-at
t_is "... said" "$(t_err | head -n 1)" "receipt-export: option needs an argument: \"--start-at\""
t_exit "receipt-export --start-at with a bad TIME: 64" 64 receipt-export --start-at yesterday
t_like "... said" "$(t_err)" '^receipt-export: --start-at "yesterday": '
t_is "... alone, no usage" "$(t_err | wc -l)" 1
t_done
