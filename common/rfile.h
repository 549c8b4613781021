/*
 * rfile -- the receipt file's name, and the order of the receipt files
 * waiting in SPOOL/receipt/new.
 *
 * The name is written here (rfile_name), its time read here
 * (rfile_name_ms), and whether a name is posync's decided here
 * (rfile_is_posync): receipt-push and receipt_fold must agree on it.
 * receipt-push publishes them in the order they entered the spool, and
 * receipt-export may fold only files that no other file must go before
 * (posync(7), THE RECEIPT QUEUE): both read the order here, so the two
 * can never disagree.  A posync file entered when its name says
 * (receipt-export's UTC milliseconds); any other file (one a person named
 * to receipt-push, adopted into the spool) when its mtime there says,
 * which receipt-push set when it copied the file in.
 */
#ifndef POSYNC_RFILE_H
#define POSYNC_RFILE_H

#include <stddef.h>
#include <stdint.h>

#include "safename.h"

/* The two state files of the queue's protocol, in SPOOL/state: the names
 * of the files receipt-push held back (written by receipt-push, a notes
 * file, notes.h; receipt-export folds into the oldest waiting file only
 * when it is named there), and receipt-export's journal (while one is
 * left by an interrupted run, the files it folds may be half gone). */
#define RFILE_HELD	"receipt-push.held"
#define RFILE_JOURNAL	"receipt-export.pending"

/* Room for a receipt file's name: a prefix of at most RFILE_PREFIX_MAX
 * bytes (config.c's rule for [netsuite] receipt_prefix), then
 * RFILE_NAME_REST: "_PurchaseOrderReceiptFeed_" (26), the time (23),
 * ".json" (5).  The whole is a spool name (safename.h). */
#define RFILE_PREFIX_MAX	64
#define RFILE_NAME_REST		54
#define RFILE_NAME_SIZE		256
#if RFILE_PREFIX_MAX + RFILE_NAME_REST > SPOOL_NAME_MAX || \
    RFILE_PREFIX_MAX + RFILE_NAME_REST >= RFILE_NAME_SIZE
#error "a receipt file name with the longest receipt_prefix is no spool name"
#endif

/* The name of receipt-export's file for time ms (UTC):
 * <prefix>_PurchaseOrderReceiptFeed_<YYYY-MM-DD-HH_MM_SS_mmm>.json.
 * 0, or -1 when it does not fit. */
int rfile_name(char *buf, size_t size, const char *prefix, int64_t ms);

/* NetSuite's limit on one receipt file: receipt-push publishes none
 * larger, and receipt-export folds a file only well below it. */
#define RFILE_NETSUITE_MAX	(100LL * 1024 * 1024)

/* The time in a posync receipt file's name
 * (PREFIX_PurchaseOrderReceiptFeed_YYYY-MM-DD-HH_MM_SS_mmm.json), in ms
 * since the epoch; -1 when the name holds none. */
int64_t rfile_name_ms(const char *name);

/* Is name posync's receipt file for prefix: one rfile_name could have
 * written?  The one test receipt-push and receipt_fold both use; any
 * other name is a person's file. */
int rfile_is_posync(const char *prefix, const char *name);

/* When the file NAME at PATH entered the spool folder NEWDIR, in ms:
 * posync's (posync != 0) by its name, any other by its mtime in NEWDIR;
 * a file not (yet) in NEWDIR would enter it now, and an mtime ahead of
 * this host's clock counts as now. */
int64_t rfile_entered(const char *newdir, const char *name, const char *path,
    int posync);

#endif
