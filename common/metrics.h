/*
 * metrics -- what each run did, for Prometheus and for posync-status.
 *
 * Promises:
 *  - One table (metrics.c) names every metric posync writes: its name
 *    (Prometheus' rules: base units, _seconds, _total), HELP and TYPE.
 *    posync.conf(5) and posync(7) list the same names (tests/6003).
 *  - A program counts with metric_add (counters: only ever up) and sets
 *    its own gauges with metric_set, anywhere in the run; nothing is
 *    written until metrics_finish.
 *  - metrics_finish, called by prog_finish at the end of every real run
 *    that took its lock (never for -n, a usage error, a configuration
 *    that did not load, or a copy that found another running):
 *     1. adds the run's counts to the counters kept in
 *        SPOOL/state/PROGRAM.metrics (notes format), and records the
 *        run's start, its end, its exit status, and its end again as the
 *        last success when the status did the run's work (exit_done);
 *     2. counts the files in each of the program's queues (spool.h's
 *        spool_queues) and the age of the oldest; a queue whose folder
 *        cannot be read is said and has no series;
 *     3. writes all of it in the Prometheus text format to
 *        [metrics] textfile_dir/posync_PROGRAM_INSTANCE.prom, through a
 *        temporary file renamed over it (node_exporter never reads half
 *        a file), when textfile_dir is set;
 *     4. pushes the same text to [metrics] push_url (a Pushgateway),
 *        job "posync_PROGRAM", instance INSTANCE, when push_url is set.
 *    A failure of 3 or 4 is a warning on stderr, never the run's status:
 *    the work is done whether or not it could be counted.  A failure of
 *    1 is said too: a state file that cannot be read (or a later
 *    posync's) is left as it is, never replaced, and the run writes its
 *    own counts alone (Prometheus reads a counter that went down as a
 *    reset); a damaged line is taken as 0, that counter alone.
 *  - Every series carries the labels program="PROGRAM" and
 *    instance="INSTANCE" ([metrics] instance), so that two programs, or
 *    two tenants on one host, never overwrite each other.
 *  - metrics_read: what a program's state file says, for posync-status,
 *    without taking any lock (the file is replaced by rename, never
 *    torn).
 */
#ifndef POSYNC_METRICS_H
#define POSYNC_METRICS_H

struct config;
struct spool_queue;

enum metric {
	/* counters, kept across runs: posync_NAME_total */
	M_CSV_FILES,		/* po-export-parse: CSV files parsed */
	M_ROWS_ACCEPTED,	/* po-export-parse: rows into batches */
	M_ROWS_REJECTED,	/* po-export-parse: rows refused */
	M_ROWS_RECOVERED,	/* po-export-parse: rows whose SKU held
				 * commas, read NetSuite's way (accepted too) */
	M_BATCHES_UPLOADED,	/* po-import */
	M_BATCHES_FAILED,	/* po-import: moved to po/failed */
	M_HOTWAX_ROW_ERRORS,	/* po-import: rows HotWax's logs failed */
	M_RECEIPTS_EXPORTED,	/* receipt-export: HotWax receipts (ids)
				 * newly in its ledger */
	M_EXCESS_ROWS,		/* receipt-export: rows to excess.csv */
	M_RECEIPT_FILES_PUBLISHED,	/* receipt-push */
	M_NETSUITE_ERROR_FILES,	/* receipt-push: NetSuite error CSVs */
	M_RETRIES,		/* any: an HTTP call tried again (SFTP: none) */
	M_DOWNLOADED_BYTES,	/* any: bytes read over SFTP or HTTP */
	M_UPLOADED_BYTES,	/* any: bytes written over SFTP or HTTP */
	M_NCOUNTERS,
	/* gauges a program sets (seconds since the epoch, or an age) */
	M_RECEIPT_UNREAD_AGE = M_NCOUNTERS,	/* receipt-push: oldest
				 * published file NetSuite has not read */
	M_RECEIPT_CURSOR,	/* receipt-export: the cursor's time */
	M_NMETRICS
};

void metric_add(enum metric m, long long n);
void metric_set(enum metric m, long long v);

/* prog.c's: the run's start (called once the lock is held); its end. */
void metrics_start(void);
int metrics_finish(const struct config *cfg, const char *prog, int st);

/* The last run of PROG as SPOOL/state/PROG.metrics holds it.  Times are
 * seconds since the epoch, 0 when never; exit is -1 when never run;
 * success is -1 when its line is damaged (said): unknown, not never. */
struct metrics_last {
	long long start, end, success, duration_ms;
	int exit;
	long long count[M_NCOUNTERS];
	/* the gauges a program sets (gauge[m - M_NCOUNTERS]) as last
	 * measured, kept in the state file so that a run that fails before
	 * it measures writes them all the same; -1: never measured */
	long long gauge[M_NMETRICS - M_NCOUNTERS];
};
/* 0 and *last filled (all 0, exit -1, for a program never run: no file);
 * -1 after a message when the file exists and cannot be read. */
int metrics_read(const char *spooldir, const char *prog,
    struct metrics_last *last);

/* The items of queue q in SPOOL (spool.h's spool_queues: which files
 * count, never a hidden temporary or a .err): how many, and *oldest
 * their oldest mtime (0: none); -1, said, when its folder cannot be
 * read.  posync-status counts so. */
long long metrics_queue(const char *spooldir, const struct spool_queue *q,
    long long *oldest);

/* The name of metric m as written ("posync_rows_accepted_total"). */
const char *metric_name(enum metric m);

#endif
