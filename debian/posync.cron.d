# /etc/cron.d/posync -- posync's two pipelines from cron (the posync
# package).  crontab.example in /usr/share/doc/posync says more.
#
# Disabled: the two job lines at the end are comments.  First configure
# /etc/posync/posync.conf (README, "Configure"), then choose cron or the
# systemd timers (posync-inbound.timer, posync-outbound.timer), never
# both: to use cron, remove the "#" before the two job lines.
#
# Cron mails what a job prints to MAILTO.  The programs print nothing
# when all is well, so a mail means a person has something to do.  Each
# program locks itself: a run that finds the previous one still going
# exits 75 with one line, "NAME is already running".  The two halves
# are staggered by 5 minutes.
#
# This file is a conffile: `apt remove posync` keeps it, the programs
# go.  So each job first checks its program is there (Debian Policy
# 9.5), and after a remove does nothing, quietly, until a purge.
MAILTO=root
SHELL=/bin/sh
PATH=/usr/bin:/bin
POSYNC_CONFIG=/etc/posync/posync.conf

# min    hour dom mon dow user    command
#*/15    *    *   *   *   posync  [ -x /usr/bin/po-export-parse ] && po-export-parse | po-import
#5-59/15 *    *   *   *   posync  [ -x /usr/bin/receipt-export ] && receipt-export | receipt-push
