/*
 * polines -- the ledger of every NetSuite PO line posync has seen in a CSV:
 * PO id, line id and ordered quantity (unknown when its row was rejected
 * for the quantity).  po-export-parse appends to it; receipt-export reads
 * it to know every line that is open in NetSuite (contracts.md section 4)
 * and compacts it, dropping POs that are fully received, and POs that
 * NetSuite has not exported for polines_keep_days (never completed).
 *
 * SPOOL/state/polines is an append-only text file, one record a line:
 *     PO<TAB>LINE<TAB>QTY<LF>      a line and its ordered quantity
 *     PO<TAB><TAB>SECS<LF>         the PO was in a CSV parsed at SECS
 *     <TAB><TAB>SECS<TAB>polines 2<LF>
 *                                  the header: the ledger was compacted at
 *                                  SECS, into this form (version 2); first
 * PO and LINE escaped (tsv.h: \\, \t, \n); QTY a decimal, or "?" when
 * unknown; SECS seconds since the epoch.  The forms older posyncs left
 * (a header "<TAB><TAB>SECS" without the version, or none: version 1) are
 * read the same, and the next compaction writes the header; a header of
 * a later version stops every reader (EX_CONFIG), as a malformed line.
 * The last record for a (PO, LINE) wins, the latest SECS for a PO, so
 * appending the same records again after a crash is harmless.  A torn last line (no LF: an append cut short, whose
 * writer failed and appends it again) is ignored and cut off by the next
 * writer.  Any other line that does not parse stops every reader with
 * EX_CONFIG, said with its line number, the file left as it is: a line
 * skipped could be an open NetSuite line left out of a receipt file.  Writers and the compactor take an flock on the file
 * itself, so po-export-parse and receipt-export may run at the same time.
 * A ledger written before the "seen" records existed has none: its POs
 * are stamped as seen at the first compaction that finds them so.
 *
 * Compaction streams: its memory is bounded by POLINES_MEM (about 16 MiB:
 * an 8 MiB chunk of records, its index, and one line buffer for each of at
 * most 32 sorted runs merged at once), whatever the ledger's size.  The
 * ledger it writes is sorted by PO and line, one record each.
 */
#ifndef POSYNC_POLINES_H
#define POSYNC_POLINES_H

#include <stddef.h>
#include <time.h>
#include "decimal.h"
#include "util.h"

#define POLINES_MEM	(16L << 20)	/* compaction's memory, documented */

struct poline {
	const char *po;
	const char *line;
	int has_qty;		/* 0: ordered quantity unknown */
	dec_t qty;
};

/* Append n records durably (write, fsync), and for each PO among them a
 * record saying it was seen at seen (<= 0: now): when po-export-parse
 * took the CSV, by the server's clock when there is one, never before
 * NetSuite wrote it (po-export-parse.c, file_times).  0 or
 * EX_IOERR.  polines_append: seen now. */
int polines_append_at(const char *spooldir, const struct poline *recs,
    size_t n, time_t seen);
int polines_append(const char *spooldir, const struct poline *recs, size_t n);
/* polines_append_at without the fsync: the records are in the ledger for
 * every reader at once, but on disk only after polines_sync (the ledger
 * and its folder fsync'd: 0 or EX_IOERR, said) or a syncfs(2) of the
 * state area's filesystem.  For a writer that appends many times before
 * it hands anything on: po-export-parse, one sync per run of files. */
int polines_append_unsynced(const char *spooldir, const struct poline *recs,
    size_t n, time_t seen);
int polines_sync(const char *spooldir);

/*
 * Records made ready for the ledger a row at a time, by a writer that
 * holds them before it appends (po-export-parse: until a file's hash is
 * known, in a file of its own past PEND_MAX of them): the text is the
 * ledger's own lines, opaque to the writer, which may keep its bytes
 * anywhere and hand them back whole.  polines_text_put adds a record
 * (lengths of its ids; -1 for an empty one, nothing added); the seal
 * adds a seen record for each PO among them, as polines_append_at does,
 * and starts the next run of POs; polines_append_text appends a sealed
 * text unsynced (as polines_append_unsynced: 0 or EX_IOERR, said).  A
 * zeroed struct is empty; reset empties it and keeps its memory.
 */
struct polines_text {
	struct buf text;
	size_t n;		/* records */
	size_t *po, npo, pocap;	/* each run of a PO's records: its start */
	size_t lastlen;		/* the last run's PO, escaped */
};
int polines_text_put(struct polines_text *t, const struct poline *r,
    size_t lpo, size_t lline);
void polines_text_seal(struct polines_text *t, time_t seen);
int polines_append_text(const char *spooldir, const struct polines_text *t);
void polines_text_reset(struct polines_text *t);
void polines_text_free(struct polines_text *t);

/* Call fn for each current (last-wins) record whose PO want() accepts
 * (want NULL: all).  Records come grouped by nothing in particular.
 * 0, EX_IOERR, EX_CONFIG (a malformed line: fn is never called), or fn's
 * non-zero status (which stops the walk). */
typedef int polines_want_fn(const char *po, void *arg);
typedef int polines_fn(const struct poline *rec, void *arg);
int polines_load(const char *spooldir, polines_want_fn *want,
    polines_fn *fn, void *arg);
/* polines_load without a table of the records: fn gets each record of a
 * PO want() accepts as it is read, in the ledger's order, every record
 * of a key (the last is the current one), the ledger locked shared
 * meanwhile; the strings are valid during the call only.  A malformed
 * line is EX_CONFIG after fn saw the records before it.  For a reader
 * that keeps the last of a key itself (receipt-export: a run's 100,000
 * lines need not be held twice). */
int polines_each(const char *spooldir, polines_want_fn *want, polines_fn *fn,
    void *arg);

/*
 * Rewrite the ledger (a new file renamed over it, under the lock: a kill
 * at any point leaves a ledger that reads the same) keeping only the POs
 * keep() accepts (NULL: all), one record per line.  With keep_days > 0, a
 * PO keep() accepts but last seen in a CSV more than keep_days before AT
 * is dropped too: it will never complete.  AT is the earlier of now and
 * the latest seen time in the ledger, so that neither this host's clock
 * run ahead nor a NetSuite that stopped exporting drops anything.  Each
 * such PO is said on stderr once the new ledger is in place (the first 10
 * by name, then a count; -v names every one).  0, EX_IOERR, or EX_CONFIG
 * (a malformed line: nothing written, the file left as it is).
 * polines_compact_checked first calls check(rec, arg), under the same
 * lock, for each current record of the POs keep() refuses: check may
 * make keep() change its mind (a line added since keep() decided); its
 * non-zero status stops the compaction before anything is written.
 */
int polines_compact(const char *spooldir, polines_want_fn *keep, void *arg,
    time_t now, int keep_days);
int polines_compact_checked(const char *spooldir, polines_want_fn *keep,
    polines_fn *check, void *arg, time_t now, int keep_days);

/* Compact (keep all but what keep_days drops) when the last compaction
 * is a day old or more, or was never done.  0, EX_IOERR or EX_CONFIG. */
int polines_tidy(const char *spooldir, time_t now, int keep_days);

/* The chunk size in bytes and records, and the most runs merged at
 * once (0 leaves one as it is): for tests, and for receipt-export, which
 * compacts while it holds its state (smaller). */
void polines_tune(size_t chunk_bytes, size_t chunk_recs, size_t fanin);

#endif
