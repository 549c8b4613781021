/*
 * journal -- receipt-export's journal (SPOOL/state/receipt-export.pending),
 * the one step that makes a receipt file, the excess rows, the state and
 * a fold commit together (common/receipt_journal.c).
 *
 * The input is a journal as found on disk.  Invariants:
 *  - rx_journal_parse accepts it (0) or refuses it whole (EX_CONFIG: the run
 *    stops, nothing exported), never anything else;
 *  - what it accepts has a file name with no '/' and not starting with
 *    '.', and a fold part of names with neither;
 *  - rx_journal_format writes what it accepted as a journal that parses
 *    again to the same name and parts, and formats to the same bytes.
 */
#include <string.h>

#include "fuzz.h"
#include "msg.h"
#include "receipt_journal.h"
#include "util.h"

static void
same(const struct buf *a, const struct buf *b, const char *what)
{
	FUZZ_CHECK(a->len == b->len && (a->len == 0 || memcmp(a->s, b->s,
	    a->len) == 0), "the %s part differs once written again", what);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rx_journal j, k;
	struct buf out = {0}, again = {0};
	const char *q;
	int rc;

	rc = rx_journal_parse(&j, (const char *)data, size, "fuzz");
	FUZZ_CHECK(rc == 0 || rc == EX_CONFIG, "rx_journal_parse gave %d", rc);
	if (rc)
		return 0;
	FUZZ_CHECK(!strchr(j.name, '/') && j.name[0] != '.', "name %s", j.name);
	for (q = j.fold.s; q && q < j.fold.s + j.fold.len; q++)
		FUZZ_CHECK(*q != '/' && *q != 0 && !(*q == '.' &&
		    (q == j.fold.s || q[-1] == '\n')), "a folded name with / or NUL or a leading dot");
	rx_journal_format(&j, &out);
	rc = rx_journal_parse(&k, out.s, out.len, "fuzz again");
	FUZZ_CHECK(rc == 0, "what journal_format wrote does not parse");
	FUZZ_CHECK(strcmp(j.name, k.name) == 0, "name %s, then %s", j.name, k.name);
	same(&j.file, &k.file, "file");
	same(&j.excess, &k.excess, "excess");
	same(&j.state, &k.state, "state");
	same(&j.drop, &k.drop, "drop");
	same(&j.fold, &k.fold, "fold");
	rx_journal_format(&k, &again);
	FUZZ_CHECK(again.len == out.len && memcmp(again.s, out.s, out.len) == 0,
	    "journal_format is not stable");
	rx_journal_free(&j);
	rx_journal_free(&k);
	buf_free(&out);
	buf_free(&again);
	return 0;
}
