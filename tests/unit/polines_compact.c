/*
 * Unit tests for the compaction of common/polines.c (issue 9, finding 9):
 *  - exact: random appends and compactions, with chunks and merges made
 *    tiny so that every path of the external sort runs (runs, merges of
 *    runs, the sorted beginning kept), compared after each step with a
 *    model of the ledger (last record wins, dropped POs gone);
 *  - the written ledger: a header, then each key once, sorted, each PO's
 *    seen record before its lines;
 *  - never completed: a PO last seen more than keep_days ago is dropped
 *    and said; a ledger from before seen records is stamped, not dropped;
 *    polines_tidy compacts once a day;
 *  - kill -9 at any point of a compaction leaves a ledger that reads the
 *    same;
 *  - bounded memory: a 2,000,000-line ledger compacts with a peak RSS
 *    (VmHWM, reset before) within POLINES_MEM plus a generous allowance
 *    for the sanitizer, where the in-memory compaction took 326 MB.
 */
#include <fcntl.h>
#include <signal.h>
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

#define NPO	40
#define NLINE	6

static char *spool, *ledger;

/* ids that stress the order: prefixes, bytes below TAB, escapes */
static const char *po_ids[NPO] = {
	"1", "10", "1\001", "1\\", "1\t2", "1\n", "100", "2", "20", "3",
	"a", "a\tb", "b\\\\c", "\001", "\010x", "z", "Z", "12009298", "12009299", "9",
	"p20", "p21", "p22", "p23", "p24", "p25", "p26", "p27", "p28", "p29",
	"q30", "q31", "q32", "q33", "q34", "q35", "q36", "q37", "q38", "q39",
};
static const char *line_ids[NLINE] = { "1", "10", "2", "x\ty", "\\", "1\001" };

struct model {
	int has[NPO][NLINE];	/* 0 none, 1 quantity known, 2 unknown */
	long qty[NPO][NLINE];
	int dropped[NPO];	/* for keep() */
};
static struct model m;

static void
show(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			buf_adds(b, "<NL>");
		else if (*s == '\t')
			buf_adds(b, "<TAB>");
		else if ((unsigned char)*s < 32)
			buf_addf(b, "<%d>", *s);
		else
			buf_addc(b, *s);
	}
}

struct coll {
	char **v;
	size_t n, cap;
};

static void
coll_add(struct coll *c, const char *po, const char *line, const char *qty)
{
	struct buf b = {0};

	show(&b, po);
	buf_addc(&b, '|');
	show(&b, line);
	buf_addc(&b, '|');
	buf_adds(&b, qty);
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n++] = b.s;
}

static int
collect(const struct poline *r, void *arg)
{
	char q[DEC_BUFSZ];

	coll_add(arg, r->po, r->line, r->has_qty ? dec_format(r->qty, q) : "?");
	return 0;
}

static char *
joined(struct coll *c)
{
	char *s = joined_strings(c->v, c->n, 1);

	free(c->v);
	memset(c, 0, sizeof *c);
	return s;
}

static char *
model_text(void)
{
	struct coll c = {0};
	char q[32];
	int i, j;

	for (i = 0; i < NPO; i++)
		for (j = 0; j < NLINE; j++) {
			if (!m.has[i][j])
				continue;
			snprintf(q, sizeof q, "%ld", m.qty[i][j]);
			coll_add(&c, po_ids[i], line_ids[j], m.has[i][j] == 1 ? q : "?");
		}
	return joined(&c);
}

static char *
ledger_load(void)
{
	struct coll c = {0};

	if (polines_load(spool, NULL, collect, &c) != 0)
		coll_add(&c, "LOAD", "FAILED", "!");
	return joined(&c);
}

static int
keep_model(const char *po, void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < NPO; i++)
		if (strcmp(po_ids[i], po) == 0)
			return !m.dropped[i];
	return 1;
}

/* The file as compaction promises it: a header, then strictly increasing
 * keys, each PO's seen record first.  NULL, or what is wrong. */
static const char *
file_shape(void)
{
	char *t = NULL, *p, *nl, *prev = NULL, *t1, *t2;
	size_t plen = 0, klen, polen = 0, tlen;
	const char *bad = NULL;
	char *po = NULL;

	if (read_file(ledger, 1 << 30, &t, &tlen) < 0 || strncmp(t, "\t\t", 2) != 0)
		bad = "no header";
	for (p = t ? strchr(t, '\n') + 1 : NULL; !bad && p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		t1 = strchr(p, '\t');
		t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!nl || !t1 || !t2 || t2 > nl) {
			bad = "a line that is not a record";
			break;
		}
		klen = (size_t)(t2 - p);
		if (prev) {
			int c = memcmp(prev, p, plen < klen ? plen : klen);

			if (c > 0 || (c == 0 && plen >= klen)) {
				bad = "keys not strictly increasing";
				break;
			}
		}
		if (!po || polen != (size_t)(t1 - p) || memcmp(po, p, polen) != 0) {
			if (t2 != t1 + 1) {
				bad = "a PO whose first record is not its seen record";
				break;
			}
			po = p;
			polen = (size_t)(t1 - p);
		}
		prev = p;
		plen = klen;
	}
	free(t);
	return bad;
}

static void
random_appends(int n)
{
	struct poline recs[16];
	char q[16][32];
	int k, b, i, j;

	for (k = 0; k < n; k++) {
		b = 1 + rand() % 16;
		for (i = 0; i < b; i++) {
			int pi = rand() % NPO, li = rand() % NLINE;

			recs[i].po = po_ids[pi];
			recs[i].line = line_ids[li];
			recs[i].has_qty = rand() % 5 != 0;
			j = rand() % 1000;
			snprintf(q[i], sizeof q[i], "%d", j);
			recs[i].qty = (dec_t)j * DEC_ONE;
			m.has[pi][li] = recs[i].has_qty ? 1 : 2;
			m.qty[pi][li] = recs[i].has_qty ? j : 0;
			m.dropped[pi] = 0;
		}
		if (polines_append(spool, recs, (size_t)b) != 0)
			printf("# append failed\n");
	}
}

static void
random_drop(void)
{
	int i, j;

	for (i = 0; i < NPO; i++) {
		m.dropped[i] = rand() % 6 == 0;
		if (m.dropped[i])
			for (j = 0; j < NLINE; j++)
				m.has[i][j] = 0;
	}
}

static void
exactness(void)
{
	char *got, *want;
	const char *shape;
	int round, wrong = 0, badshape = 0;

	srand(9);
	polines_tune(4200, 7, 3);	/* tiny: many runs, merges of runs */
	for (round = 0; round < 60; round++) {
		random_appends(1 + rand() % 40);
		random_drop();
		if (polines_compact(spool, keep_model, NULL, time(NULL), 30) != 0)
			wrong++;
		got = ledger_load();
		want = model_text();
		if (strcmp(got, want) != 0 && wrong++ == 0)
			printf("# round %d\n#   got  %s\n#   want %s\n", round, got, want);
		if ((shape = file_shape()) != NULL && badshape++ == 0)
			printf("# round %d: %s\n", round, shape);
		free(got);
		free(want);
	}
	ok(wrong == 0, "60 rounds of random appends and compactions: the ledger "
	    "reads as the model (last record wins, dropped POs gone)");
	ok(badshape == 0, "  each compacted ledger: a header, sorted keys, each "
	    "once, each PO's seen record first");
	random_appends(30);
	polines_tune(8 << 20, 256 << 10, 32);
	ok(polines_compact(spool, NULL, NULL, time(NULL), 30) == 0 &&
	    strcmp((got = ledger_load()), (want = model_text())) == 0,
	    "  and with the real chunk size the same");
	free(got);
	free(want);
}

static void
fresh(const char *name)
{
	char *d;

	free(spool);
	free(ledger);
	spool = xasprintf("%s/%s", scratch, name);
	ledger = xasprintf("%s/state/polines", spool);
	mkdir(spool, 0750);
	d = xasprintf("%s/state", spool);
	mkdir(d, 0750);
	free(d);
}

static const char *only_not;

static int
keep_not(const char *po, void *arg)
{
	(void)arg;
	return !only_not || strcmp(po, only_not) != 0;
}

/*
 * Ages are measured against the ledger's own newest seen time when this
 * host's clock is ahead of it (issue 9: never trust one clock alone): a
 * clock run a year ahead drops nothing, nor does a NetSuite that stopped
 * exporting altogether; a PO older than the rule by the newest is still
 * dropped.
 */
static void
clock_rule(time_t now)
{
	struct buf b = {0};
	char *got, *err;

	fresh("clock-ahead");
	buf_addf(&b, "p\t1\t1\np\t\t%lld\n", (long long)now);
	put_file(ledger, b.s, 0640);
	buf_free(&b);
	cap_begin();
	is_int(polines_compact(spool, NULL, NULL, now + 366 * 86400, 30), 0,
	    "compact with this host's clock 366 days ahead");
	err = cap_end();
	got = ledger_load();
	is_str(got, "p|1|1 ", "  the PO exported today is kept");
	ok(strstr(err, "dropped") == NULL, "  and no drop is said");
	free(got);
	free(err);

	fresh("clock-stopped");
	buf_addf(&b, "p\t1\t1\np\t\t%lld\nq\t1\t1\nq\t\t%lld\n",
	    (long long)(now - 100 * 86400), (long long)(now - 140 * 86400));
	put_file(ledger, b.s, 0640);
	buf_free(&b);
	cap_begin();
	is_int(polines_compact(spool, NULL, NULL, now, 30), 0,
	    "compact a ledger NetSuite stopped adding to 100 days ago");
	err = cap_end();
	got = ledger_load();
	is_str(got, "p|1|1 ", "  only the PO 40 days older than the newest is dropped");
	ok(strstr(err, "PO q dropped") != NULL, "  and said");
	free(got);
	free(err);
}

static void
expiry(void)
{
	time_t now = time(NULL);
	struct buf b = {0};
	char *err, *got, *want;
	int i;

	fresh("expiry");
	buf_addf(&b, "old\t1\t5\nold\t\t%lld\nold\t2\t?\n", (long long)(now - 31 * 86400));
	buf_addf(&b, "new\t1\t3\nnew\t\t%lld\n", (long long)(now - 29 * 86400));
	buf_adds(&b, "legacy\t1\t2\n");
	buf_addf(&b, "twice\t\t%lld\ntwice\t1\t1\ntwice\t\t%lld\n",
	    (long long)now, (long long)(now - 400 * 86400));
	buf_addf(&b, "done\t1\t1\ndone\t\t%lld\n", (long long)(now - 90 * 86400));
	put_file(ledger, b.s, 0640);
	buf_free(&b);
	only_not = "done";

	cap_begin();
	is_int(polines_compact(spool, keep_not, NULL, now, 30), 0,
	    "compact with polines_keep_days 30");
	err = cap_end();
	got = ledger_load();
	is_str(got, "legacy|1|2 new|1|3 twice|1|1 ",
	    "  the PO last seen 31 days ago is dropped; 29 days ago kept; "
	    "the latest of two seen records counts");
	free(got);
	want = xasprintf("%s: PO old dropped: not in a NetSuite export since ", ledger);
	has(err, want, "  the drop is said, naming the ledger and the PO");
	free(want);
	ok(strstr(err, "polines_keep_days 30") != NULL, "  and the rule");
	ok(strstr(err, "PO done") == NULL && strstr(err, "PO new") == NULL &&
	    strstr(err, "legacy") == NULL, "  and only it: a PO dropped as complete is not said");
	free(err);
	got = slurp(ledger);
	want = xasprintf("legacy\t\t%lld\nlegacy\t1\t2\n", (long long)now);
	ok(got && strstr(got, want) != NULL,
	    "  a PO from before seen records is stamped as seen now, not dropped");
	free(got);
	free(want);
	only_not = NULL;

	/* 15 at once: 10 named, then a count; -v names every one */
	fresh("expiry-many");
	for (i = 0; i < 15; i++)
		buf_addf(&b, "x%02d\t1\t1\nx%02d\t\t1000\n", i, i);
	buf_addf(&b, "y\t1\t1\ny\t\t%lld\n", (long long)now);	/* NetSuite exports */
	put_file(ledger, b.s, 0640);
	buf_free(&b);
	cap_begin();
	is_int(polines_compact(spool, NULL, NULL, now, 365), 0, "15 POs expire at once");
	err = cap_end();
	ok(count_lines(err) == 11, "  11 lines said (%d)", count_lines(err));
	ok(strstr(err, "PO x09 dropped") != NULL && strstr(err, "PO x10") == NULL,
	    "  the first 10 by name");
	want = xasprintf("%s: 15 POs dropped in all, not in a NetSuite export for 365 days "
	    "(-v names each)", ledger);
	has(err, want, "  then the count");
	free(want);
	free(err);
	got = ledger_load();
	is_str(got, "y|1|1 ", "  the ledger holds none of them");
	free(got);
	clock_rule(now);

	/* keep_days 0: never */
	fresh("expiry-never");
	put_file(ledger, "x\t1\t1\nx\t\t1000\n", 0640);
	cap_begin();
	polines_compact(spool, NULL, NULL, now, 0);
	err = cap_end();
	got = ledger_load();
	ok(strcmp(got, "x|1|1 ") == 0 && !*err, "polines_keep_days 0 drops nothing");
	free(got);
	free(err);
}

static void
tidy(void)
{
	time_t now = time(NULL);
	char *got, *want;

	fresh("tidy");
	is_int(polines_tidy(spool, now, 30), 0, "tidy without a ledger: nothing to do");
	ok(!exists(ledger), "  and no ledger made");
	want = xasprintf("b\t1\t1\nb\t\t1000\na\t1\t1\nc\t\t%lld\n", (long long)now);
	put_file(ledger, want, 0640);
	free(want);
	cap_begin();
	is_int(polines_tidy(spool, now, 30), 0, "tidy a ledger never compacted");
	free(cap_end());
	got = slurp(ledger);
	want = xasprintf("\t\t%lld\tpolines 2\na\t\t%lld\na\t1\t1\nc\t\t%lld\n", (long long)now,
	    (long long)now, (long long)now);
	is_str(got, want, "  compacts it (b expired)");
	free(got);
	free(want);
	put_file(ledger, "b\t1\t1\nb\t\t1000\n", 0640);
	want = xasprintf("\t\t%lld\nb\t1\t1\nb\t\t1000\nc\t\t%lld\n", (long long)now,
	    (long long)(now + 86400));
	put_file(ledger, want, 0640);
	is_int(polines_tidy(spool, now + 86399, 30), 0, "tidy within a day of the last compaction");
	got = slurp(ledger);
	is_str(got, want, "  leaves the ledger as it is");
	free(got);
	cap_begin();
	is_int(polines_tidy(spool, now + 86400, 30), 0, "tidy a day later");
	free(cap_end());
	got = slurp(ledger);
	ok(got && strncmp(got, "\t\t", 2) == 0 && strstr(got, "b\t1") == NULL,
	    "  compacts it again (b expired)");
	free(got);
	free(want);
}

/* A ledger of n lines: POs of 10 lines, each PO written twice (the
 * second quantity wins) so the compaction has work. */
static void
big_ledger(long n)
{
	FILE *fp = fopen(ledger, "w");
	long i;

	for (i = 0; fp && i < n; i++) {
		long po = (i / 10) % (n / 20), line = i % 10;

		fprintf(fp, "%08ld\t%ld\t%ld\n", po * 7919 % 1000003, line, i);
		if (line == 9)
			fprintf(fp, "%08ld\t\t%ld\n", po * 7919 % 1000003, (long)time(NULL));
	}
	if (!fp || fclose(fp) != 0)
		printf("Bail out! cannot write %s\n", ledger);
}

static void
crash(void)
{
	char *before, *after;
	int k, same = 0, st, killed = 0;
	pid_t pid;

	fresh("crash");
	big_ledger(200000);
	before = ledger_load();
	for (k = 0; k < 12; k++) {
		if ((pid = fork()) == 0) {
			polines_tune(5000, 64, 4);	/* slow: many merges */
			_exit(polines_compact(spool, NULL, NULL, time(NULL), 0));
		}
		usleep((useconds_t)(k * 40000));
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		killed += WIFSIGNALED(st);
		after = ledger_load();
		same += strcmp(before, after) == 0;
		free(after);
	}
	ok(same == 12, "kill -9 at 12 points of a compaction of 200,000 lines: the "
	    "ledger reads the same each time (%d of 12; %d killed before the end)",
	    same, killed);
	free(before);
}

static long
status_kb(const char *field)
{
	char line[256];
	long v = -1;
	size_t n = strlen(field);
	FILE *fp = fopen("/proc/self/status", "r");

	while (fp && fgets(line, sizeof line, fp))
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			v = atol(line + n + 1);
	if (fp)
		fclose(fp);
	return v;
}

static void
memory(void)
{
	int pfd[2], st, fd;
	long res[3] = { -1, -1, -1 };
	pid_t pid;

	fresh("memory");
	big_ledger(2000000);
	if (pipe(pfd) < 0)
		return;
	if ((pid = fork()) == 0) {
		close(pfd[0]);
		/* "5": reset the peak RSS to the RSS now (Linux 4.0) */
		fd = open("/proc/self/clear_refs", O_WRONLY);
		if (fd < 0 || write(fd, "5", 1) != 1)
			res[2] = -2;
		if (fd >= 0)
			close(fd);
		res[0] = status_kb("VmRSS");
		if (polines_compact(spool, NULL, NULL, time(NULL), 0) != 0)
			res[2] = -3;
		res[1] = status_kb("VmHWM");
		if (write(pfd[1], res, sizeof res) != (ssize_t)sizeof res)
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], res, sizeof res) != (ssize_t)sizeof res)
		res[2] = -4;
	close(pfd[0]);
	waitpid(pid, &st, 0);
	if (res[2] == -2) {
		ok(1, "# SKIP /proc/self/clear_refs cannot reset the peak RSS here");
		return;
	}
	/* POLINES_MEM, plus twice as much again for the sanitizer's shadow
	 * and quarantine and stdio: 326 MB was the in-memory compaction's */
	ok(res[2] == -1 && res[1] > 0 && res[1] - res[0] < 3 * POLINES_MEM / 1024,
	    "compacting 2,000,000 lines grows the peak RSS by %ld KiB (bound %ld KiB)",
	    res[1] - res[0], 3 * POLINES_MEM / 1024);
	ok(file_shape() == NULL, "  and writes a sorted ledger");
}

int
main(void)
{
	msg_init("unit-polines-compact");
	scratch_init("unit-polines-compact");
	fresh("random");
	exactness();
	expiry();
	tidy();
	crash();
	memory();
	free(spool);
	free(ledger);
	scratch_remove();
	return done_testing();
}
