#!/bin/sh
# Every line of every program's --help fits 80 columns (review S: the
# "-c, --config FILE" line was 88 columns in all four programs,
# receipt-export's -n line 85 and a --start-at line 87), and the usage on
# stderr after a bad command line, the same text, does too.
. "${0%/*}/lib.sh"
. "$BED/posync.sh"

PROGS="po-export-parse po-import receipt-export receipt-push posync-status"
bed_built $PROGS
# wide TEXT -- its lines longer than 80 columns, each with its width
wide() { printf '%s\n' "$1" | awk 'length > 80 { print length ": " $0 }'; }

for p in $PROGS; do
	t_exit "$p --help: 0" 0 "$p" --help
	t_like "... the -c line there" "$(t_out)" "-c, --config FILE"
	t_is "... every line at most 80 columns" "$(wide "$(t_out)")" ""
	bad=64; [ "$p" = posync-status ] && bad=3	# Nagios' UNKNOWN
	t_exit "$p --no-such-option: $bad" $bad "$p" --no-such-option
	t_is "... its usage on stderr, every line at most 80 columns" \
		"$(wide "$(t_err | sed 1d)")" ""
done
t_exit "receipt-export --help" 0 receipt-export --help
t_like "... still says --start-at's forms" "$(t_out)" \
	"YYYY-MM-DDTHH:MM:SS\[\.fff\], then Z"
t_like "... all of them" "$(t_out)" "or \+HH:MM/-HH:MM\)"
t_done
