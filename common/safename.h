/*
 * safename -- a remote file name (any bytes but '/' and NUL: spaces,
 * colons, parentheses, newlines, a leading '-') made into a local name
 * that is safe (printable ASCII from [A-Za-z0-9._+=@,-], never starting
 * with '-' or '.', never "." or ".."), unique (different remote names give
 * different local names) and stable (the same remote name always gives the
 * same local name), at most SAFENAME_MAX bytes.  The original name is kept
 * by the caller for messages and remote operations.
 */
#ifndef POSYNC_SAFENAME_H
#define POSYNC_SAFENAME_H

#include <stddef.h>

#define SAFENAME_MAX 200

/*
 * The one rule for names in the spool, shared by every program: 1 to
 * SPOOL_NAME_MAX bytes of [A-Za-z0-9._+=@,-], starting with neither '.'
 * nor '-'.  SPOOL_NAME_MAX leaves room within NAME_MAX (255) for the
 * longest suffix any program adds to a spool name: po-import turns
 * STEM.json into STEM.rows.json.err and writes it as
 * STEM.rows.json.err.tmp.PID (+9, +5 and a PID of at most 7 digits,
 * Linux's PID_MAX_LIMIT 4194304: 21 bytes; STEM.logdone.tmp.PID and
 * spool.c's "NAME.PID" and "NAME.err.PID" are shorter).  So a name that
 * passes can never fail later for its length.
 *
 * And every name po-export-parse derives from a safename passes, with
 * room for what po-import derives from it in turn: a batch
 * SAFE.HASH16.NNNNNN.json (NNNNNN: the batch's number, 5 digits or more;
 * 6 always fit) whose failed rows po-import writes as
 * SAFE.HASH16.NNNNNN.rows.json must itself pass, so that "po-import
 * failed/STEM.rows.json" works as po-import(1) says.  SAFE.HASH16.csv and
 * SAFE.HASH16.recovered.csv are shorter.  The checks below count it.
 */
#define SPOOL_SUFFIX_MAX	21	/* ".rows.json.err.tmp.4194304" - ".json" */
#define NAME_BYTES_MAX		255	/* NAME_MAX: a name's bytes, here and on SFTP servers */
#define SPOOL_NAME_MAX		(NAME_BYTES_MAX - SPOOL_SUFFIX_MAX)
#define SPOOL_ROWS_INFIX	5	/* ".rows": STEM.json -> STEM.rows.json */
/* the longest batch name po-export-parse may make */
#define SPOOL_BATCH_MAX		(SPOOL_NAME_MAX - SPOOL_ROWS_INFIX)
#define SAFENAME_BATCH_SUFFIX	29	/* ".<16 hex>.<6 digits>.json" */
#define SAFENAME_SUFFIX_MAX	31	/* ".<16 hex>.recovered.csv" */
#if SAFENAME_MAX + SAFENAME_SUFFIX_MAX > SPOOL_NAME_MAX
#error "names derived from a safename would not fit the spool"
#endif
#if SAFENAME_MAX + SAFENAME_BATCH_SUFFIX > SPOOL_BATCH_MAX
#error "a batch's failed rows (STEM.rows.json) would not fit the spool"
#endif

/* malloc'd safe name for remote (len bytes). */
char *safename(const char *remote, size_t len);

/* 1 when name follows the spool rule above and, when ext is not NULL,
 * ends in ext with at least one byte before it. */
int spool_name_ok(const char *name, const char *ext);
/* NULL when spool_name_ok(name, ext), else why not (malloc'd), for a
 * message "QUOTED-PATH: not DONE: WHY": its length when that is the
 * fault, else the rule. */
char *spool_name_why(const char *name, const char *ext, const char *what);

/* 1 when c may start a spool name (neither '.' nor '-'): the rule's
 * first character, shared with config.c's words that begin names. */
int spool_lead_ok(int c);

#endif
