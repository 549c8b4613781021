/*
 * receipt_spool_impl -- the fields of struct rx_spool, for the two files
 * that own it: receipt_journal.c makes it and commits through it,
 * receipt_fold.c folds under its publish lock.  Nothing else includes
 * this; callers use receipt_journal.h.
 */
#ifndef POSYNC_RECEIPT_SPOOL_IMPL_H
#define POSYNC_RECEIPT_SPOOL_IMPL_H

#include "receipt_journal.h"

struct rx_spool {
	const struct config *cfg;
	int dry;		/* -n: change nothing */
	char *statedir, *state_path, *journal_path, *area, *excess_path;
	int pubfd;		/* the publish lock while folding, or -1 */
};

#endif
