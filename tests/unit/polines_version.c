/*
 * Unit tests for the polines ledger's version (common/polines.h): a
 * compaction writes the header "\t\tSECS\tpolines 2"; a ledger an older
 * posync left (no header, or a header without the version) is read the
 * same and brought to the current form by its next compaction, nothing
 * lost; a ledger of a later posync, or a version field that does not
 * parse, stops every reader (EX_CONFIG), the file left as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "tap.h"
#include "testutil.h"
#include "decimal.h"
#include "msg.h"
#include "polines.h"
#include "util.h"

static char *spool, *ledger;

static int
collect(const struct poline *r, void *arg)
{
	struct buf *b = arg;
	char q[DEC_BUFSZ];

	buf_addf(b, "%s|%s|%s ", r->po, r->line, r->has_qty ? dec_format(r->qty, q) : "?");
	return 0;
}

/* What polines_load gives, "" when nothing; *st its status. */
static char *
loaded(int *st)
{
	struct buf b = {0};

	buf_adds(&b, "");
	*st = polines_load(spool, NULL, collect, &b);
	return b.s;
}

static void
load_is(const char *want, const char *desc)
{
	int st;
	char *got = loaded(&st);

	is_int(st, 0, "%s: read", desc);
	is_str(got, want, "%s: its records", desc);
	free(got);
}

/* A ledger whose header is head: every reader stops, nothing changed. */
static void
refused(const char *head, const char *desc)
{
	char *text = xasprintf("%s\n100\t1\t5\n100\t\t%lld\n", head,
	    (long long)time(NULL)), *got, *after;
	int st;

	put_file(ledger, text, 0640);
	cap_begin();
	got = loaded(&st);
	is_int(st, EX_CONFIG, "%s: polines_load stops (78)", desc);
	is_str(got, "", "%s: no record given", desc);
	free(got);
	is_int(polines_compact(spool, NULL, NULL, time(NULL), 0), EX_CONFIG,
	    "%s: the compaction stops too", desc);
	free(cap_end());
	is_str(after = slurp(ledger), text, "%s: the ledger left as it was", desc);
	free(after);
	free(text);
}

/* polines_compact under -v, checked to succeed (desc): what it said on
 * stderr, to free. */
static char *
compact_said(time_t now, const char *desc)
{
	cap_begin();
	verbose = 1;
	is_int(polines_compact(spool, NULL, NULL, now, 30), 0, "%s", desc);
	verbose = 0;
	return cap_end();
}

int
main(void)
{
	time_t now = time(NULL);
	char *t, *head;
	struct stat a, b;

	msg_init("unit-polines-version");
	scratch_init("unit-polines-version");
	spool = xstrdup(scratch);
	ledger = xasprintf("%s/state/polines", spool);
	scratch_mkdir("state");

	/* the previous release's ledger: a header without the version, a
	 * PO never stamped as seen, one that was */
	t = xasprintf("\t\t100\n100\t1\t5\n100\t\t%lld\n200\t1\t?\n200\t2\t1.5\n",
	    (long long)now);
	put_file(ledger, t, 0640);
	free(t);
	load_is("100|1|5 200|1|? 200|2|1.5 ", "an unversioned header");
	t = compact_said(now, "  compacted");
	ok(strstr(t, "now in the polines 2 form") != NULL, "  said once, under -v");
	free(t);
	t = slurp(ledger);
	head = xasprintf("\t\t%lld\tpolines 2\n", (long long)now);
	ok(strncmp(t, head, strlen(head)) == 0, "  its header now holds the version");
	free(t);
	load_is("100|1|5 200|1|? 200|2|1.5 ", "  nothing lost");

	t = compact_said(now, "compacted again");
	ok(strstr(t, "polines 2 form") == NULL, "  not said again");
	free(t);
	stat(ledger, &a);
	is_int(polines_tidy(spool, now, 30), 0, "polines_tidy reads the versioned header");
	ok(stat(ledger, &b) == 0 && a.st_ino == b.st_ino, "  not due: the ledger kept");

	/* no header at all: a ledger only ever appended to */
	put_file(ledger, "300\t1\t2\n", 0640);
	load_is("300|1|2 ", "no header");
	{
		struct poline r = { "300", "2", 1, 3 * DEC_ONE };

		is_int(polines_append(spool, &r, 1), 0, "  appended to");
	}
	is_int(polines_compact(spool, NULL, NULL, now, 30), 0, "  compacted");
	t = slurp(ledger);
	ok(strncmp(t, head, strlen(head)) == 0, "  a versioned header first");
	free(t);
	load_is("300|1|2 300|2|3 ", "  nothing lost");
	free(head);

	refused("\t\t5\tpolines 3", "a ledger of a later posync");
	refused("\t\t5\tpolines x", "a version that is no number");
	refused("\t\t5\tpolines 1", "a version field saying 1");
	refused("\t\t5\tledger 2", "another tag");
	refused("\t\t5\t", "an empty version field");
	refused("100\t1\t5\tpolines 2", "a version field on a record");
	scratch_remove();
	free(ledger);
	free(spool);
	return done_testing();
}
