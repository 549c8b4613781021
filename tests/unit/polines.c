/*
 * Unit tests for common/polines.c: append, load, last record wins, the
 * torn tail, compaction, escaped ids, and appends racing a compaction.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "testutil.h"
#include "msg.h"
#include "polines.h"
#include "util.h"

static char *spool, *ledger;

static void
add_raw(const char *text)
{
	int fd = open(ledger, O_WRONLY | O_APPEND);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		perror(ledger);
	close(fd);
}

/* Records as text "PO|LINE|QTY" (ids shown with msg-like escapes so
 * the expected strings are readable), sorted, joined by spaces. */
struct coll {
	char *v[1000];
	size_t n;
	int stop_after;		/* return 99 after this many (0: never) */
};

static void
show_id(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			buf_adds(b, "<NL>");
		else if (*s == '\t')
			buf_adds(b, "<TAB>");
		else
			buf_addc(b, *s);
	}
}

static int
collect(const struct poline *r, void *arg)
{
	struct coll *c = arg;
	struct buf b = {0};
	char q[DEC_BUFSZ];

	show_id(&b, r->po);
	buf_addc(&b, '|');
	show_id(&b, r->line);
	buf_addc(&b, '|');
	buf_adds(&b, r->has_qty ? dec_format(r->qty, q) : "?");
	if (c->n < 1000)
		c->v[c->n++] = b.s;
	else
		free(b.s);
	if (c->stop_after && (int)c->n >= c->stop_after)
		return 99;
	return 0;
}

static char *
joined(struct coll *c)
{
	char *s = joined_strings(c->v, c->n, 0);

	c->n = 0;
	return s;
}

static const char *only;
static int want_calls;

static int
want_only(const char *po, void *arg)
{
	(void)arg;
	want_calls++;
	return strcmp(po, only) == 0;
}

static int
want_not_100(const char *po, void *arg)
{
	(void)arg;
	return strcmp(po, "100") != 0;
}

/* polines_compact_checked: keep() refuses PO 100 until check() has seen
 * its line 2 (as receipt-export's re-check finds an amended PO open). */
static int check_calls, check_status, found_open;

static int
keep_unless_open(const char *po, void *arg)
{
	(void)arg;
	return strcmp(po, "100") != 0 || found_open;
}

static int
check_rec(const struct poline *r, void *arg)
{
	(void)arg;
	check_calls++;
	if (strcmp(r->po, "100") == 0 && strcmp(r->line, "2") == 0)
		found_open = 1;
	return check_status;
}

/* What rd (polines_load or polines_each) gives of the POs want()
 * takes is expect. */
static void
read_is(int (*rd)(const char *, polines_want_fn *, polines_fn *, void *),
    polines_want_fn *want, const char *expect, const char *desc)
{
	struct coll c = {.n = 0};
	char *got;
	int r = rd(spool, want, collect, &c);

	got = joined(&c);
	if (!ok(r == 0 && strcmp(got, expect) == 0, "%s", desc))
		printf("#   r=%d\n#   got  %s\n#   want %s\n", r, got, expect);
	free(got);
}

static void
load_is(polines_want_fn *want, const char *expect, const char *desc)
{
	read_is(polines_load, want, expect, desc);
}

/* polines_each: every record of the POs want() takes, as read (a key
 * appended twice comes twice; its reader keeps the last). */
static void
each_is(polines_want_fn *want, const char *expect, const char *desc)
{
	read_is(polines_each, want, expect, desc);
}

/* The ledger's text with each "\t\tSECS" shown as "\t\tT" (the time
 * of the run); *secs (when not NULL) set to the last SECS seen. */
static char *
ledger_text(long long *secs)
{
	char *got = slurp(ledger), *p, *q;
	struct buf b = {0};

	for (p = got; p && *p; p++) {
		buf_addc(&b, *p);
		if (p[0] == '\t' && p[1] == '\t' && p[2] >= '0' && p[2] <= '9') {
			if (secs)
				*secs = strtoll(p + 2, &q, 10);
			buf_adds(&b, "\tT");
			p += 1;
			while (p[1] >= '0' && p[1] <= '9')
				p++;
		}
	}
	free(got);
	return b.s ? b.s : xstrdup("");
}

static void
file_is(const char *expect, const char *desc)
{
	char *got = ledger_text(NULL);

	is_str(got, expect, "%s", desc);
	free(got);
}

static unsigned long
ledger_lines(void)
{
	char *t = slurp(ledger), *p;
	unsigned long n = 0;

	for (p = t; p && *p; p++)
		n += *p == '\n';
	free(t);
	return n;
}

/* Append n raw bytes (they may hold NUL) to the ledger. */
static void
add_bytes(const char *p, size_t n)
{
	int fd = open(ledger, O_WRONLY | O_APPEND);

	if (fd < 0 || write(fd, p, n) != (ssize_t)n)
		perror(ledger);
	close(fd);
}

/*
 * The ledger (its own, in SCRATCH/corrupt) holds good lines and one bad
 * one, line n: every reader refuses it, polines_load with EX_CONFIG
 * before fn sees anything, a compaction with EX_CONFIG before it writes,
 * both saying the file and line; the file is left as it was (a line
 * skipped could be an open NetSuite line left out of a receipt file).
 */
static void
refused_at(unsigned long n, const char *what, const char *desc)
{
	struct coll c = {.n = 0};
	struct stat a, b;
	char *err, *want;
	int r, rc, sa;

	sa = stat(ledger, &a);
	cap_begin();
	r = polines_load(spool, NULL, collect, &c);
	rc = polines_compact(spool, NULL, NULL, time(NULL), 30);
	err = cap_end();
	if (!ok(r == EX_CONFIG && c.n == 0 && rc == EX_CONFIG,
	    "%s: refused (78), nothing given", desc))
		printf("#   load %d (%zu records), compact %d\n", r, c.n, rc);
	free(joined(&c));
	want = xasprintf("%s:%lu: %s; nothing done", ledger, n, what);
	if (!ok(strstr(err, want) != NULL, "  said with its line (%s)", want))
		printf("#   stderr: %s\n", err);
	ok(sa == 0 && stat(ledger, &b) == 0 && a.st_ino == b.st_ino &&
	    a.st_size == b.st_size, "  the file left as it was");
	free(want);
	free(err);
}

/* A fresh ledger of 12 good lines, then text (n bytes). */
static void
ledger_with(const char *text, size_t n)
{
	close(open(ledger, O_WRONLY | O_CREAT | O_TRUNC, 0640));
	add_raw("1\t1\t1\n2\t1\t1\n3\t1\t1\n4\t1\t1\n5\t1\t1\n6\t1\t1\n"
	    "7\t1\t1\n8\t1\t1\n9\t1\t1\n10\t1\t1\n11\t1\t1\n12\t1\t1\n");
	add_bytes(text, n);
}

/*
 * A corrupt line is refused whole, with its file and line: a NUL byte
 * early in a line over the 4 KiB buffer once let its tail be read as a
 * record of its own, and a line of 4097 bytes is over the limit while
 * one of 4096 is not.  CRLF line ends, a stray space, a bad escape, a
 * NUL: each stops the reader (issue 9: a damaged ledger once had
 * NetSuite receive a line in full, and its compaction erased the
 * evidence).  Only a torn last line (no LF) is tolerated.
 */
#define S(lit) lit, sizeof lit - 1
static void
corrupt_lines(void)
{
	static const struct { const char *text; size_t n; const char *what, *desc; } bad[] = {
		{ S("800\t1\t1\r\n802\t1\t3\n"), "malformed record", "CRLF" },
		{ S("800\t1\t1 \n802\t1\t3\n"), "malformed record", "a stray space" },
		{ S("800 1\t1\n"), "malformed record", "a space for a tab" },
		{ S("800\t\\q\t1\n"), "malformed record", "a bad escape" },
		{ S("800\t1\t1e3\n"), "malformed record", "a bad quantity" },
		{ S("801\t1\t1\0\t5\n802\t1\t3\n"), "record holding a NUL byte",
		    "a NUL in a short line" },
	};
	struct buf b = {0};
	struct coll c = {.n = 0};
	char *want, *exp, *got, *saved_spool = spool, *saved_ledger = ledger;
	size_t i;
	int r;

	/* a ledger of its own: the tests after this one expect the other */
	spool = xasprintf("%s/corrupt", scratch);
	ledger = xasprintf("%s/state/polines", spool);
	mkdir(spool, 0750);
	want = xasprintf("%s/state", spool);
	mkdir(want, 0750);
	free(want);
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		ledger_with(bad[i].text, bad[i].n);
		refused_at(13, bad[i].what, bad[i].desc);
	}

	/* line 13: NUL, then 5000 bytes whose tail is a good-looking record */
	buf_adds(&b, "800\t1\t1");
	buf_addc(&b, '\0');
	for (i = 0; i < 5000 - 20; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\t1\t42\n");
	ledger_with(b.s, b.len);
	refused_at(13, "record longer than 4096 bytes", "a NUL in a long line");

	/* line 13: 4096 bytes, the limit; 14: a good one; 15: 4097 bytes */
	buf_reset(&b);
	buf_adds(&b, "804\t");
	while (b.len < 4096 - 2)
		buf_addc(&b, 'L');
	buf_adds(&b, "\t2\n802\t1\t3\n");
	exp = xasprintf("10|1|1 11|1|1 12|1|1 1|1|1 2|1|1 3|1|1 4|1|1 5|1|1 "
	    "6|1|1 7|1|1 802|1|3 804|%.*s|2 8|1|1 9|1|1", 4096 - 6, b.s + 4);
	ledger_with(b.s, b.len);
	cap_begin();
	r = polines_load(spool, NULL, collect, &c);
	free(cap_end());
	got = joined(&c);
	ok(r == 0 && strcmp(got, exp) == 0, "a line of 4096 bytes is read");
	free(got);
	buf_reset(&b);
	buf_adds(&b, "803\t1\t1");
	while (b.len < 4097)
		buf_addc(&b, '0');
	buf_addc(&b, '\n');
	add_bytes(b.s, b.len);
	refused_at(15, "record longer than 4096 bytes", "4097 bytes");

	/* a torn last line is no damage: an append cut short */
	ledger_with("802\t1\t3\n803\t1", 14);
	cap_begin();
	r = polines_load(spool, NULL, collect, &c);
	free(cap_end());
	got = joined(&c);
	ok(r == 0 && strstr(got, "802|1|3") && !strstr(got, "803"),
	    "a torn last line is ignored, the rest read");
	free(got);

	free(exp);
	buf_free(&b);
	free(spool);
	free(ledger);
	spool = saved_spool;
	ledger = saved_ledger;
}

/* Append, load, the last record wins, want() selects. */
static void
test_append(void)
{
	struct poline recs[3];

	load_is(NULL, "", "no ledger yet: no records, no error");
	is_int(polines_compact(spool, NULL, NULL, time(NULL), 30), 0,
	    "compacting no ledger is fine");

	recs[0] = (struct poline){"100", "1", 1, 5 * DEC_ONE};
	recs[1] = (struct poline){"100", "2", 1, 150000000};
	recs[2] = (struct poline){"200", "1", 0, 0};
	is_int(polines_append(spool, recs, 3), 0, "append 3 records");
	file_is("100\t1\t5\n100\t2\t1.5\n200\t1\t?\n100\t\tT\n200\t\tT\n",
	    "the file holds them, one a line, and when each PO was seen");
	load_is(NULL, "100|1|5 100|2|1.5 200|1|?", "load gives them back");

	recs[0] = (struct poline){"100", "1", 1, 7 * DEC_ONE};
	is_int(polines_append(spool, recs, 1), 0, "append a new quantity for 100/1");
	load_is(NULL, "100|1|7 100|2|1.5 200|1|?", "the last record wins");
	is_int(polines_append(spool, recs, 3), 0, "append the same records again (a rerun)");
	load_is(NULL, "100|1|7 100|2|1.5 200|1|?", "  changes nothing");
	each_is(NULL, "100|1|5 100|1|7 100|1|7 100|2|1.5 100|2|1.5 200|1|? "
	    "200|1|?", "polines_each gives every record as read, the "
	    "repeated ones too");

	only = "200";
	want_calls = 0;
	load_is(want_only, "200|1|?", "want() selects the POs");
	ok(want_calls >= 2 && want_calls <= 4, "want() asked once per run of a PO (%d calls)",
	    want_calls);
	each_is(want_only, "200|1|? 200|1|?", "  for polines_each too");
}

/* A writer died in the middle of a record. */
static void
test_torn(void)
{
	struct poline recs[1];
	char *err;

	add_raw("300\t1\t4");
	load_is(NULL, "100|1|7 100|2|1.5 200|1|?", "a torn last line is ignored");
	recs[0] = (struct poline){"400", "9", 1, 2 * DEC_ONE};
	cap_begin();
	is_int(polines_append(spool, recs, 1), 0, "the next append");
	err = cap_end();
	ok(strstr(err, "cutting a torn last record (7 bytes)") != NULL, "  says it cuts the torn tail");
	free(err);
	file_is("100\t1\t5\n100\t2\t1.5\n200\t1\t?\n100\t\tT\n200\t\tT\n"
	    "100\t1\t7\n100\t\tT\n"
	    "100\t1\t7\n100\t2\t1.5\n200\t1\t?\n100\t\tT\n200\t\tT\n"
	    "400\t9\t2\n400\t\tT\n",
	    "  the torn bytes are gone and the new record follows a whole line");
	load_is(NULL, "100|1|7 100|2|1.5 200|1|? 400|9|2", "  and loads");
}

/* Ids with tab, newline and backslash. */
static void
test_escaped(void)
{
	struct poline recs[1];
	char *err;

	recs[0] = (struct poline){"a\tb", "x\ny\\z", 1, 3 * DEC_ONE};
	is_int(polines_append(spool, recs, 1), 0, "append escaped ids");
	err = slurp(ledger);
	ok(err && strstr(err, "\na\\tb\tx\\ny\\\\z\t3\n") != NULL, "  written escaped on one line");
	free(err);
	load_is(NULL, "100|1|7 100|2|1.5 200|1|? 400|9|2 a<TAB>b|x<NL>y\\z|3",
	    "  and loaded back exactly");
	only = "a\tb";
	each_is(want_only, "a<TAB>b|x<NL>y\\z|3", "  and given by polines_each "
	    "exactly");
}

/* Records made ready a row at a time (polines_text): the ledger's lines,
 * each PO's seen record once however its rows come, POs in the order of
 * their own bytes (not of their escaped forms), and the same bytes as
 * polines_append_at writes for the same records. */
static void
test_text(void)
{
	static const struct poline recs[] = {
		{"A\tB", "1", 1, DEC_ONE}, {"A1", "1", 1, 2 * DEC_ONE},
		{"A\\x", "1", 0, 0}, {"A\tB", "2", 1, DEC_ONE},
		{"Z", "1", 1, DEC_ONE}, {"A1", "2", 1, DEC_ONE},
		{"a\nq", "l\t1", 1, DEC_ONE},
		/* equal escaped up to an escape's second byte, and not */
		{"C\\n", "1", 1, DEC_ONE}, {"C\\\t", "1", 1, DEC_ONE},
	};
	const size_t n = sizeof recs / sizeof recs[0];
	struct polines_text t = {0};
	struct poline empty = {"", "1", 0, 0};
	char *dir, *path, *text;
	size_t i;

	polines_text_seal(&t, 1000);
	is_int((int)t.text.len, 0, "text: sealing no records adds nothing");
	for (i = 0; i < n; i++)
		polines_text_put(&t, &recs[i], strlen(recs[i].po),
		    strlen(recs[i].line));
	is_int(polines_text_put(&t, &empty, 0, 1), -1, "  an empty id is refused");
	is_int((int)t.n, (int)n, "  and not counted");
	polines_text_seal(&t, 1000);
	is_str(t.text.s,
	    "A\\tB\t1\t1\nA1\t1\t2\nA\\\\x\t1\t?\nA\\tB\t2\t1\nZ\t1\t1\n"
	    "A1\t2\t1\na\\nq\tl\\t1\t1\nC\\\\n\t1\t1\nC\\\\\\t\t1\t1\n"
	    "A\\tB\t\t1000\nA1\t\t1000\nA\\\\x\t\t1000\nC\\\\\\t\t\t1000\n"
	    "C\\\\n\t\t1000\nZ\t\t1000\na\\nq\t\t1000\n",
	    "  records, then each PO seen once, in its own bytes' order");
	scratch_mkdir("text");
	scratch_mkdir("text/state");
	dir = xasprintf("%s/text", scratch);
	path = xasprintf("%s/state/polines", dir);
	is_int(polines_append_text(dir, &t), 0, "  appended");
	is_int(polines_append_at(dir, recs, n, 1000), 0,
	    "  and the same records by polines_append_at");
	text = slurp(path);
	ok(text && strlen(text) == 2 * t.text.len &&
	    strncmp(text, t.text.s, t.text.len) == 0 &&
	    strcmp(text + t.text.len, t.text.s) == 0,
	    "  which writes the same bytes");
	polines_text_reset(&t);
	is_int((int)(t.text.len + t.n + t.npo), 0, "  reset empties it");
	polines_text_put(&t, &recs[4], 1, 1);
	polines_text_seal(&t, 7);
	is_str(t.text.s, "Z\t1\t1\nZ\t\t7\n", "  and it is used again");
	polines_text_free(&t);
	free(text);
	free(path);
	free(dir);
}

/* A malformed line in the middle stops the reader: said with its
 * line, nothing given, the file left as it is for a person. */
static void
test_malformed(void)
{
	struct poline recs[1];
	struct coll c = {.n = 0};
	char *err, *want, *saved, *s2;
	unsigned long base;
	int r, fd;

	base = ledger_lines();
	saved = slurp(ledger);
	add_raw("garbage line\n500\t1\t1e3\n");
	recs[0] = (struct poline){"700", "1", 1, 1};
	polines_append(spool, recs, 1);
	cap_begin();
	r = polines_load(spool, NULL, collect, &c);
	err = cap_end();
	is_int(r, EX_CONFIG, "a malformed line stops the load (78)");
	is_int((int)c.n, 0, "  before anything is given");
	free(joined(&c));
	want = xasprintf("%s:%lu: malformed record; nothing done", ledger, base + 1);
	ok(strstr(err, want) != NULL, "  said with its line (%s)", want);
	free(want);
	free(err);
	cap_begin();
	is_int(polines_compact(spool, NULL, NULL, time(NULL), 30), EX_CONFIG,
	    "  a compaction stops too (78)");
	free(cap_end());
	ok(strstr(s2 = slurp(ledger), "garbage line\n500\t1\t1e3\n700\t1\t") != NULL,
	    "  and drops nothing: the lines it could not read are still there");
	free(s2);
	fd = open(ledger, O_WRONLY | O_TRUNC);	/* mended by hand */
	if (fd < 0 || write(fd, saved, strlen(saved)) != (ssize_t)strlen(saved))
		perror(ledger);
	close(fd);
	free(saved);
	polines_append(spool, recs, 1);
	load_is(NULL, "100|1|7 100|2|1.5 200|1|? 400|9|2 700|1|0.00000001 a<TAB>b|x<NL>y\\z|3",
	    "mended, it loads");
}

/* fn's status stops the walk. */
static void
test_stop_walk(void)
{
	struct coll c = {.n = 0};
	int r;

	c.stop_after = 2;
	cap_begin();
	r = polines_load(spool, NULL, collect, &c);
	free(cap_end());
	is_int(r, 99, "fn's non-zero status stops the walk and is returned");
	is_int(c.n, 2, "  after 2 records");
	free(joined(&c));
	c.stop_after = 3;
	cap_begin();
	r = polines_each(spool, NULL, collect, &c);
	free(cap_end());
	is_int(r, 99, "polines_each: fn's non-zero status stops the read");
	is_int(c.n, 3, "  after 3 records");
	free(joined(&c));
}

/* The check: under the compaction's lock, before it writes. */
static void
test_check(void)
{
	struct stat a, b2;
	const char *all = "100|1|7 100|2|1.5 200|1|? 400|9|2 700|1|0.00000001 a<TAB>b|x<NL>y\\z|3";

	check_status = 42;
	stat(ledger, &a);
	is_int(polines_compact_checked(spool, keep_unless_open, check_rec, NULL,
	    time(NULL), 0), 42, "check's status stops the compaction");
	ok(stat(ledger, &b2) == 0 && a.st_ino == b2.st_ino && check_calls == 1,
	    "  before it writes anything, at the first record");
	check_status = check_calls = found_open = 0;
	is_int(polines_compact_checked(spool, keep_unless_open, check_rec, NULL,
	    time(NULL), 0), 0, "a compaction whose check finds a PO open");
	is_int(check_calls, 2, "  check saw both lines of the PO keep() refused, only them");
	load_is(NULL, all, "  and the PO is kept");
	found_open = 0;
}

/* Compaction keeps the POs keep() accepts, one record each. */
static void
test_compact(void)
{
	cap_begin();
	is_int(polines_compact(spool, want_not_100, NULL, time(NULL), 0), 0,
	    "compact without PO 100");
	free(cap_end());
	file_is("\t\tT\tpolines 2\n200\t\tT\n200\t1\t?\n400\t\tT\n400\t9\t2\n"
	    "700\t\tT\n700\t1\t0.00000001\na\\tb\t\tT\na\\tb\tx\\ny\\\\z\t3\n",
	    "  the file holds a header, then one record per line of the kept "
	    "POs, sorted, each PO after when it was seen");
	load_is(NULL, "200|1|? 400|9|2 700|1|0.00000001 a<TAB>b|x<NL>y\\z|3",
	    "  and loads the same");
	only = "nothing";
	is_int(polines_compact(spool, want_only, NULL, time(NULL), 0), 0,
	    "compact keeping nothing");
	file_is("\t\tT\tpolines 2\n", "  leaves a ledger of its header alone");
}

/* Appends racing compactions: none is lost. */
static void
test_race(void)
{
	pid_t pid;
	int st, i, r;

	pid = fork();
	if (pid == 0) {
		char po[32];
		struct poline one;

		for (i = 0; i < 300; i++) {
			snprintf(po, sizeof po, "c%03d", i);
			one = (struct poline){po, "1", 1, (dec_t)i * DEC_ONE};
			if (polines_append(spool, &one, 1) != 0)
				_exit(1);
		}
		_exit(0);
	}
	r = 0;
	for (i = 0; i < 100; i++)
		r |= polines_compact(spool, NULL, NULL, time(NULL), 0);
	waitpid(pid, &st, 0);
	ok(r == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "300 appends in a child while the parent compacts 100 times");
	{
		struct coll all = {.n = 0};
		char exp[32];
		int missing = 0;
		size_t k;

		polines_load(spool, NULL, collect, &all);
		sort_strings(all.v, all.n);
		for (i = 0; i < 300; i++) {
			snprintf(exp, sizeof exp, "c%03d|1|%d", i, i);
			if (!all.v[i] || (size_t)i >= all.n || strcmp(all.v[i], exp) != 0)
				missing++;
		}
		ok(all.n == 300 && missing == 0, "  every record is there (%zu, %d wrong)",
		    all.n, missing);
		for (k = 0; k < all.n; k++)
			free(all.v[k]);
	}
}

int
main(void)
{
	msg_init("unit-polines");
	scratch_init("unit-polines");
	spool = xstrdup(scratch);
	ledger = xasprintf("%s/state/polines", spool);
	scratch_mkdir("state");

	test_append();
	test_torn();
	test_escaped();
	test_text();
	test_malformed();
	corrupt_lines();
	test_stop_walk();
	test_check();
	test_compact();
	test_race();

	free(spool);
	free(ledger);
	scratch_remove();
	return done_testing();
}
