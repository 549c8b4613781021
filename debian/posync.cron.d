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
MAILTO=root
SHELL=/bin/sh
PATH=/usr/bin:/bin
POSYNC_CONFIG=/etc/posync/posync.conf

# min    hour dom mon dow user    command
#*/15    *    *   *   *   posync  po-export-parse | po-import
#5-59/15 *    *   *   *   posync  receipt-export | receipt-push
