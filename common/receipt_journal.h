/*
 * receipt_journal -- receipt-export's one commit: the receipt file, the
 * excess rows, the new state, the POs to drop from the polines ledger
 * and the files folded away are first written together into a journal
 * (SPOOL/state/receipt-export.pending); then the file is committed under
 * its deterministic name, the rest applied, and the journal removed.
 * What it promises: rolling a journal forward is idempotent, so a run
 * killed at any point is finished by the next (which finds the journal
 * first); a file goes into new/ once, never twice; a journal that does
 * not parse stops the run (EX_CONFIG) and is left for a person; today's
 * journals are read byte for byte (JOURNAL_MAGIC, the fold part only when
 * folding).
 *
 *     posync receipt-export journal 1
 *     name\tNAME                  "" when there is no file
 *     file\tLEN\n<LEN bytes>      and so excess, state, drop
 *     fold\tLEN\n<LEN bytes>      only when folding: one name a line
 *     end
 */
#ifndef POSYNC_RECEIPT_JOURNAL_H
#define POSYNC_RECEIPT_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct config;

/* Where a receipt-export run keeps its files, whether it may change them
 * (not with -n), and the publish lock while it folds.  Opaque (its fields:
 * receipt_spool_impl.h). */
struct rx_spool;
struct rx_spool *rx_spool_new(const struct config *cfg, int dry);
void rx_spool_free(struct rx_spool *sp);	/* and the lock dropped */
/* SPOOL/state/receipt-export.state and .pending, for messages. */
const char *rx_spool_state_path(const struct rx_spool *sp);
const char *rx_spool_journal_path(const struct rx_spool *sp);
/* SPOOL/state, where a run's temporary files go. */
const char *rx_spool_state_dir(const struct rx_spool *sp);
/* Drop the publish lock, if held. */
void rx_spool_unlock(struct rx_spool *sp);

/* The parts of one commit (for the fold and the fuzz harness; a program
 * uses the functions). */
struct spill_text;
struct rx_journal {
	char *name;		/* "" when there is no file */
	struct buf file, excess, state, drop;
	struct buf fold;	/* names folded into file, one a line */
	/* a run's file and state in temporary files (issue 12, P4),
	 * instead of file and state; NULL when they are there */
	struct spill_text *ftext, *stext;
};

void rx_journal_free(struct rx_journal *j);
int rx_journal_parse(struct rx_journal *j, const char *d, size_t len,
    const char *path);
void rx_journal_format(const struct rx_journal *j, struct buf *out);

/* The journal of a run: its file named name ("" for none), its excess
 * rows and drops taken from file, excess and drop (left empty), the
 * state st formatted (st NULL: no state yet). */
struct rx_state;
void rx_journal_set(struct rx_journal *j, const char *name, struct buf *file,
    struct buf *excess, struct buf *drop, const struct rx_state *st);
/* The journal of the run d decided: its file (if any) named after st's
 * next time (now, or last + 1: names only grow), d's parts taken.  0; a
 * name that does not fit (config.c bounds the prefix) is a bug:
 * EX_SOFTWARE, exits. */
struct rx_decision;
int rx_journal_decided(struct rx_journal *j, struct rx_decision *d,
    struct spill_text *file, struct rx_state *st, const char *prefix,
    int64_t now);
/* With file not NULL, the file's text is file's (taken: left empty), not
 * d's, and the state is formatted into a temporary file in the same
 * folder: the journal is written, and its file and state committed, a
 * piece at a time (rx_journal_commit); EX_IOERR (said) when that
 * folder cannot hold it. */
/* The state formatted again (the fold changed st), where it was (in a
 * temporary file, or in memory when that cannot be written: said). */
void rx_journal_set_state(struct rx_journal *j, struct rx_state *st);
/* The file's text into j->file, for the fold to read: 0 or EX_IOERR
 * (said; j as it was). */
int rx_journal_file_load(struct rx_journal *j);
const char *rx_journal_name(const struct rx_journal *j);
/* Nothing to write: no file and no excess. */
int rx_journal_empty(const struct rx_journal *j);
/* Any excess rows? */
int rx_journal_has_excess(const struct rx_journal *j);
/* The state the journal would leave, parsed into st (fresh): as
 * rx_state_parse, path naming the journal. */
int rx_journal_state(const struct rx_journal *j, struct rx_state *st,
    const char *path);
/* -n: the file it would write, on stdout. */
int rx_journal_show(const struct rx_journal *j);	/* 0 or EX_IOERR */

/* Read the state into st (fresh), finishing an interrupted run's journal
 * first (or, with -n, reading the state it would leave).  0, or the
 * status that stops the run: nothing may be exported without the whole
 * state; no state at all is the first run (0).  *excess_said: the
 * roll-forward reported excess rows (exit 65, the run goes on). */
int rx_journal_load(struct rx_spool *sp, struct rx_state *st,
    int *excess_said);

/* Write the journal, then finish it (as rx_journal_roll), st the state
 * formatted into it (rx_journal_decided's; it may be changed: a PO
 * amended since it completed is opened again).  0 or a status. */
int rx_journal_commit(struct rx_spool *sp, struct rx_journal *j,
    struct rx_state *st, int *excess_said);
/* Finish what the journal says, idempotently; prints the file's path.
 * *excess_said: excess rows went into excess.csv (exit 65). */
int rx_journal_roll(struct rx_spool *sp, struct rx_journal *j,
    int *excess_said);


#endif
