/*
 * receipt_fold -- the queue stays short (contracts.md section 4;
 * posync(7), THE RECEIPT QUEUE): while receipt files wait in new/
 * because NetSuite has not read the one before, a run's receipts are
 * folded into them -- one file, per PO the union of the listed lines,
 * quantities summed -- instead of queueing one more file.  The sums stay
 * within what is open: each file was computed on top of every earlier
 * one (the state counts them all).  What it promises: a file
 * receipt-push may be publishing is never folded (the publish lock,
 * taken without waiting, is held from the fold through the commit); a
 * file that is on NetSuite's side already, or must go out before a file
 * that stays, is never folded; the fold is part of the journaled commit
 * (receipt_journal.h), so a kill leaves the old files or the folded one,
 * never both and never neither.
 */
#ifndef POSYNC_RECEIPT_FOLD_H
#define POSYNC_RECEIPT_FOLD_H

#include <stddef.h>

#include "receipt_journal.h"
#include "util.h"

struct rx_state;

/* rx_fold_prepare's min: a run with a file of its own folds even one
 * waiting file into it; a run with none only makes one of two or more
 * (one alone would only be renamed, a later name for nothing). */
#define RX_FOLD_INTO_NEW	1
#define RX_FOLD_BACKLOG		2

/* Before the commit of a run that writes a file j->name: fold into it the
 * waiting files that may be folded, when there are at least min of them
 * and they can all be folded; the spool then holds the publish lock
 * through the commit.  Otherwise a new file, as ever; a later run folds
 * it.  With -n: no lock, and it says what it would fold. */
void rx_fold_prepare(struct rx_spool *sp, struct rx_journal *j, size_t min);
/* A run with nothing new to write still folds a backlog: two or more
 * foldable files become one new file, named and recorded in st as any
 * file receipt-export writes.  1 when j now holds such a fold, else 0
 * and j and st as they were. */
int rx_fold_only(struct rx_spool *sp, struct rx_state *st,
    struct rx_journal *j);
/* The folded files (fold: names, one a line) leave new/ before the folded
 * one arrives: were both there after a crash, receipt-push could publish
 * an old one and then the new one holding it too.  Idempotent.  0 or
 * EX_IOERR. */
int rx_unfold(struct rx_spool *sp, const struct buf *fold);

#endif
