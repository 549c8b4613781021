#!/bin/sh
# The README's alert rules are a rule file Prometheus loads (the real
# promtool), and they name metrics posync(7) lists.
. "${0%/*}/lib.sh"

command -v promtool >/dev/null || t_skip_all "promtool not installed (make deps)"

awk '/^## Metrics/ { m = 1 } m && /^```yaml/ { y = 1; next }
	y && /^```/ { exit } y' "$TOP/README.md" >"$SCRATCH/rules.yml"
t_ok "the README's Metrics part holds a YAML block" test -s "$SCRATCH/rules.yml"
t_ok "promtool check rules passes on it" promtool check rules "$SCRATCH/rules.yml"
t_like "two rules" "$(promtool check rules "$SCRATCH/rules.yml" 2>&1)" "SUCCESS: 2 rules found"
used=$(grep -o 'posync_[a-z_]*[a-z]' "$SCRATCH/rules.yml" | sort -u)
listed=$(sed -n '/^\.Sh METRICS/,/^\.Sh /p' "$TOP/man/posync.7" | grep -o 'posync_[a-z_]*[a-z]' | sort -u)
t_is "every metric the rules use is one posync(7) lists" \
	"$(printf '%s\n' "$used" | grep -vxF "$listed")" ""
t_like "no success for an hour" "$(cat "$SCRATCH/rules.yml")" \
	'time\(\) - posync_last_success_timestamp_seconds > 3600'
t_like "a published receipt file unread for two hours" "$(cat "$SCRATCH/rules.yml")" \
	'posync_receipt_unread_oldest_age_seconds > 7200'
t_done
