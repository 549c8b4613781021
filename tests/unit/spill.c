/*
 * Unit tests of common/spill.c (a run's records and text kept in a
 * nameless temporary file) and of receipt_state.c's piecewise reader
 * (rx_state_load, rx_state_peek), the two halves of issue 12's P4:
 *   - records: absent and empty strings, strings longer than the write
 *     buffer, 150,000 records given back in the order added, then by rank
 *     (set in a walk, as receipt_run.c does), stable within a rank, with
 *     spill_peek_rank agreeing; a rank past RANK_MAX refused; a folder
 *     that cannot hold a file said; nothing left in the folder, no fd kept;
 *   - text: small and large pieces, copied to an fd and read back;
 *   - rx_state_load: the same state as rx_state_parse of the same bytes
 *     wherever the 64 KiB pieces cut the records, the same message and
 *     line for damage in a later piece, EFBIG past max, ENOENT;
 *   - rx_state_peek: last, and st's ledger ids the file does not hold.
 * msg.c shows MSG_SHOWN (20) messages of one kind: each kind here is
 * said fewer times than that.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "msg.h"
#include "receipt_state.h"
#include "spill.h"
#include "util.h"
#include "testutil.h"

#define NREC		150000
#define RANK_MAX	((UINT32_C(1) << 24) - 1)	/* spill.c's */
#define PIECE		(64 * 1024)			/* receipt_state.c's */

/* The test cannot go on: its own setup failed. */
static void
bail(const char *what, const char *path)
{
	printf("Bail out! %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

/* xorshift64: the same "random" order every run */
static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* Entries in dir but . and .., or -1. */
static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static int
open_fds(void)
{
	return entries("/proc/self/fd");
}

/* Open fds on a file in dir (a nameless one too: its link in /proc
 * names the folder). */
static int
fds_in(const char *dir)
{
	char fd[64], to[512];
	size_t n = strlen(dir);
	ssize_t k;
	int i, c = 0;

	for (i = 0; i < 1024; i++) {
		snprintf(fd, sizeof fd, "/proc/self/fd/%d", i);
		if ((k = readlink(fd, to, sizeof to - 1)) <= 0)
			continue;
		to[k] = 0;
		c += strncmp(to, dir, n) == 0 && to[n] == '/';
	}
	return c;
}

/* A folder in the scratch folder, to free. */
static char *
subdir(const char *name)
{
	char *p = scratch_path(name);

	if (mkdir(p, 0700) < 0)
		bail("cannot make", p);
	return p;
}

/* n bytes of text that tell their places apart, to free. */
static char *
pattern(size_t n, unsigned seed)
{
	char *s = xmalloc(n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		s[i] = (char)('a' + (i * 7 + i / 26 + seed) % 26);
	s[n] = 0;
	return s;
}

static int
same_str(const char *got, const char *want)
{
	return got == want || (got && want && strcmp(got, want) == 0);
}

/* ------------------------------------------------------------ records */

/* Record i of the many: its strings in s (room for 64 bytes each). */
static void
rec_of(size_t i, struct spill_rec *r, char s[SPILL_STRS][64])
{
	snprintf(s[0], 64, "o%zu", i);
	snprintf(s[1], 64, "%s", i % 3 == 2 ? "x" : "");
	snprintf(s[2], 64, "%.*s", (int)(i % 50),
	    "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEF");
	snprintf(s[3], 64, "p\t%zu", i * 31);
	r->kind = (int)(i % 7) - 3;
	r->s[0] = s[0];
	r->s[1] = i % 3 == 0 ? NULL : s[1];
	r->s[2] = s[2];
	r->s[3] = i % 5 == 0 ? NULL : s[3];
	r->a = (int64_t)i;
	r->b = -(int64_t)i * 1000003;
}

/* r is record i of the many, every field. */
static int
rec_is(size_t i, const struct spill_rec *r)
{
	char s[SPILL_STRS][64];
	struct spill_rec w;
	size_t k;

	rec_of(i, &w, s);
	if (r->kind != w.kind || r->a != w.a || r->b != w.b)
		return 0;
	for (k = 0; k < SPILL_STRS; k++)
		if (!same_str(r->s[k], w.s[k]))
			return 0;
	return 1;
}

struct walk {
	size_t calls, bad;
	struct spill *s;
	uint32_t *rank;		/* set in the walk when not NULL */
	size_t stop_at;		/* the walk's status 7 at this record */
};

static int
walk_fn(size_t i, const struct spill_rec *r, void *arg)
{
	struct walk *w = arg;

	w->bad += i != w->calls || !rec_is(i, r);
	w->calls++;
	if (w->rank && (w->rank[i] = rnd(5000)) % 1000 == 999)
		w->rank[i] = RANK_MAX;	/* the last group there is */
	if (w->rank && spill_set_rank(w->s, i, w->rank[i]) != 0)
		w->bad++;
	return i == w->stop_at ? 7 : 0;
}

/* spill_next's order: by rank, then the order added; peek agrees. */
static void
by_rank(struct spill *s, const uint32_t *rank, size_t n, const char *how)
{
	struct spill_rec r;
	size_t pos = 0, got = 0, bad = 0, unstable = 0, peek = 0;
	uint32_t rk, prev = 0;
	int64_t prev_a = -1;
	int rc;

	for (;;) {
		uint32_t p = spill_peek_rank(s, pos);

		if ((rc = spill_next(s, &pos, &r, &rk)) != 1)
			break;
		peek += p != rk;
		bad += r.a < 0 || (size_t)r.a >= n || rk != rank[r.a] ||
		    !rec_is((size_t)r.a, &r) || rk < prev;
		unstable += rk == prev && r.a <= prev_a;
		prev = rk;
		prev_a = r.a;
		got++;
	}
	is_int(rc, 0, "%s: spill_next ends with 0", how);
	is_int(got, n, "%s: every record once", how);
	is_int(bad, 0, "%s: each its own fields and rank, ranks never go down",
	    how);
	is_int(unstable, 0, "%s: one rank's records in the order added", how);
	is_int(peek, 0, "%s: spill_peek_rank is the next record's rank", how);
	ok(spill_peek_rank(s, pos) == UINT32_MAX, "%s: UINT32_MAX at the end",
	    how);
	is_int(spill_next(s, &pos, &r, &rk), 0, "%s: and 0 again", how);
}

static void
t_empty(const char *dir)
{
	struct spill *s = spill_new(dir);
	struct walk w = { 0, 0, NULL, NULL, SIZE_MAX };
	struct spill_rec r;
	size_t pos = 0;
	uint32_t rk;

	is_int(spill_count(s), 0, "no records: count 0");
	is_int(spill_each(s, walk_fn, &w), 0, "no records: spill_each 0");
	is_int(w.calls, 0, "  fn never called");
	spill_sort(s);
	is_int(spill_next(s, &pos, &r, &rk), 0, "  spill_next 0");
	ok(spill_peek_rank(s, 0) == UINT32_MAX, "  spill_peek_rank UINT32_MAX");
	is_int(entries(dir), 0, "  and no file made");
	spill_free(s);
	spill_free(NULL);
}

/* Strings absent and empty, numbers at their ends, a string longer than
 * the 64 KiB write buffer among short ones. */
static void
t_fields(const char *dir)
{
	char *big = pattern(70000, 1), *huge = pattern(200000, 2);
	struct spill_rec in[4] = {
	    { 0, { NULL, NULL, NULL, NULL }, 0, 0 },
	    { -5, { "", "a", NULL, "" }, INT64_MIN, INT64_MAX },
	    { 9, { big, NULL, huge, "" }, -1, 1 },
	    { 2147483647, { "z", "", "é\t\n", NULL }, 3, -3 },
	}, r;
	size_t pos = 0, i, k, bad = 0;
	struct spill *s = spill_new(dir);
	uint32_t rk;

	for (i = 0; i < 4; i++)
		if (spill_add(s, &in[i], (uint32_t)(3 - i)) != 0)
			bad++;
	is_int(bad, 0, "4 records added, one of 270 KB");
	is_int(spill_count(s), 4, "count 4");
	spill_sort(s);
	for (i = 4; i-- > 0; ) {
		if (spill_next(s, &pos, &r, &rk) != 1 || rk != 3 - i ||
		    r.kind != in[i].kind || r.a != in[i].a || r.b != in[i].b) {
			bad++;
			continue;
		}
		for (k = 0; k < SPILL_STRS; k++)
			bad += !same_str(r.s[k], in[i].s[k]);
	}
	is_int(bad, 0, "each back whole: NULL stays NULL, \"\" stays \"\", "
	    "long strings byte for byte");
	ok(spill_next(s, &pos, &r, &rk) == 0, "  then the end");
	is_int(entries(dir), 0, "the folder holds no file while in use");
	spill_free(s);
	free(big);
	free(huge);
}

/* The walk's status stops it and is returned. */
static void
t_each_stops(struct spill *s)
{
	struct walk w = { 0, 0, NULL, NULL, 10 };

	is_int(spill_each(s, walk_fn, &w), 7, "fn's status 7 stops spill_each");
	is_int(w.calls, 11, "  after record 10");
}

/* Many records, ranks in a random order: back in the order added, then
 * ranked by a walk (receipt_run.c's way), then by rank. */
static void
t_many(const char *dir)
{
	uint32_t *rank = xcalloc(NREC, sizeof *rank);
	struct spill *s = spill_new(dir);
	struct walk w = { 0, 0, s, NULL, SIZE_MAX };
	char str[SPILL_STRS][64];
	struct spill_rec r;
	size_t i, bad = 0;
	int fds = open_fds();

	for (i = 0; i < NREC; i++) {
		rec_of(i, &r, str);
		rank[i] = rnd(1000);
		bad += spill_add(s, &r, rank[i]) != 0;
	}
	is_int(bad, 0, "150000 records added in random ranks");
	is_int(spill_count(s), NREC, "  count 150000");
	is_int(spill_each(s, walk_fn, &w), 0, "spill_each walks them all");
	is_int(w.calls, NREC, "  150000 calls");
	is_int(w.bad, 0, "  in the order added, each its own fields");
	t_each_stops(s);
	spill_sort(s);
	by_rank(s, rank, NREC, "ranked when added");
	spill_free(s);
	s = spill_new(dir);
	for (i = 0; i < NREC; i++) {
		rec_of(i, &r, str);
		bad += spill_add(s, &r, 0) != 0;
	}
	memset(&w, 0, sizeof w);
	w.s = s;
	w.rank = rank;
	w.stop_at = SIZE_MAX;
	is_int(spill_each(s, walk_fn, &w) + bad + w.bad, 0,
	    "added in rank 0, ranked in a walk by spill_set_rank");
	is_int(entries(dir), 0, "150000 records spilled: the folder holds no file");
	spill_sort(s);
	by_rank(s, rank, NREC, "set by spill_set_rank");
	is_int(fds_in(dir), 1, "  in a file of its own, open, in the folder");
	spill_free(s);
	free(rank);
	is_int(open_fds(), fds, "each spill's file closed by spill_free");
}

/* A rank past RANK_MAX (16 million groups) is refused, said, and leaves
 * the spill as it was; RANK_MAX itself is a rank. */
static void
t_rank_max(const char *dir)
{
	struct spill_rec r = { 1, { "a", NULL, NULL, NULL }, 0, 0 };
	struct spill *s = spill_new(dir);
	size_t pos = 0;
	uint32_t rk;
	char *err;
	int rc, e;

	is_int(spill_add(s, &r, 0), 0, "rank 0 added");
	cap_begin();
	errno = 0;
	rc = spill_add(s, &r, RANK_MAX + 1);
	e = errno;
	err = cap_end();
	is_int(rc, EX_IOERR, "rank 2^24 refused by spill_add, 74");
	is_int(e, EFBIG, "  errno EFBIG");
	has(err, dir, "  said, naming the folder");
	free(err);
	cap_begin();
	is_int(spill_add(s, &r, UINT32_MAX), EX_IOERR, "rank UINT32_MAX refused");
	is_int(spill_count(s), 1, "  neither was added");
	r.a = 1;
	is_int(spill_add(s, &r, RANK_MAX), 0, "rank 2^24 - 1 added");
	is_int(spill_set_rank(s, 0, 5), 0, "spill_set_rank 5");
	is_int(spill_set_rank(s, 0, RANK_MAX + 1), EX_IOERR,
	    "spill_set_rank 2^24 refused");
	free(cap_end());
	spill_sort(s);
	ok(spill_peek_rank(s, 0) == 5, "  record 0 kept rank 5");
	ok(spill_next(s, &pos, &r, &rk) == 1 && r.a == 0 && rk == 5,
	    "  and comes first");
	ok(spill_next(s, &pos, &r, &rk) == 1 && r.a == 1 && rk == RANK_MAX,
	    "  then the one in rank 2^24 - 1");
	spill_free(s);
}

/* A folder no file can be made in (a regular file): said, EX_IOERR. */
static void
t_bad_dir(void)
{
	struct spill_rec r = { 1, { "a", NULL, NULL, NULL }, 0, 0 };
	struct walk w = { 0, 0, NULL, NULL, SIZE_MAX };
	char *f = scratch_path("afile"), *big = pattern(70000, 3), *err;
	struct spill *s = spill_new(f);
	struct spill_text t;

	put_file(f, "", 0600);
	is_int(spill_add(s, &r, 0), 0, "a folder that is a file: a small "
	    "record waits in memory");
	cap_begin();
	is_int(spill_each(s, walk_fn, &w), EX_IOERR, "  spill_each: 74");
	is_int(w.calls, 0, "  fn never called");
	r.s[0] = big;
	is_int(spill_add(s, &r, 0), EX_IOERR, "  a record of 70 KB: 74");
	spill_text_init(&t, f);
	is_int(spill_text_add(&t, big, 70000), EX_IOERR, "  text of 70 KB: 74");
	err = cap_end();
	has(err, "cannot create a temporary file in", "  said");
	has(err, f, "  naming the folder");
	spill_text_free(&t);
	spill_free(s);
	free(err);
	free(big);
	free(f);
}

/* A folder not made yet (-n on a new spool): the file is made in
 * $TMPDIR, nothing is made in the folder, nothing left in $TMPDIR. */
static void
t_no_dir(void)
{
	char *tmp = subdir("tmp"), *dir = scratch_path("not-yet");
	char *old = getenv("TMPDIR") ? xstrdup(getenv("TMPDIR")) : NULL;
	struct walk w = { 0, 0, NULL, NULL, SIZE_MAX };
	char str[SPILL_STRS][64];
	struct spill_rec r;
	struct spill *s;
	size_t i, bad = 0;

	setenv("TMPDIR", tmp, 1);
	s = spill_new(dir);
	for (i = 0; i < 5000; i++) {
		rec_of(i, &r, str);
		bad += spill_add(s, &r, 0) != 0;
	}
	is_int(bad + spill_each(s, walk_fn, &w) + w.bad, 0,
	    "a folder not made yet: 5000 records added and read back");
	ok(!exists(dir), "  the folder is not made");
	is_int(fds_in(tmp), 1, "  the file is in $TMPDIR");
	is_int(entries(tmp), 0, "  nothing named there");
	spill_free(s);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	free(dir);
	free(tmp);
}

/* --------------------------------------------------------------- text */

/* The file at path is exactly want (len n). */
static int
file_is(const char *path, const char *want, size_t n)
{
	char *s;
	size_t len;
	int r;

	if (read_file(path, 1 << 24, &s, &len) < 0)
		return 0;
	r = len == n && memcmp(s, want, n) == 0;
	free(s);
	return r;
}

/* Pieces of 0 to 12 bytes, one of 200 KB, NUL bytes among them. */
static void
text_fill(struct spill_text *t, struct buf *want, size_t *bad)
{
	char *big = pattern(200000, 4), *p = pattern(12, 5);
	size_t i;

	for (i = 0; i < 5000; i++) {
		*bad += spill_text_add(t, p, i % 13) != 0;
		buf_add(want, p, i % 13);
	}
	*bad += spill_text_add(t, big, 200000) != 0;
	buf_add(want, big, 200000);
	*bad += spill_text_add(t, "\0x\n", 3) != 0;
	buf_add(want, "\0x\n", 3);
	free(big);
	free(p);
}

static void
t_text(const char *dir)
{
	struct buf want = { 0 }, out = { 0 }, two = { 0 };
	char *f = scratch_path("copy");
	struct spill_text t;
	size_t bad = 0;
	int fd, fds = open_fds();

	spill_text_init(&t, dir);
	text_fill(&t, &want, &bad);
	is_int(bad, 0, "text: 5000 small pieces and one of 200 KB added");
	ok(t.len == want.len, "  len %zu, the bytes added", t.len);
	is_int(entries(dir), 0, "  the folder holds no file");
	put_file(f, "HEAD", 0600);
	fd = open(f, O_WRONLY | O_APPEND);
	is_int(spill_text_copy(&t, fd, "the copy"), 0, "copied to an fd");
	buf_adds(&two, "HEAD");
	buf_add(&two, want.s, want.len);
	ok(file_is(f, two.s, two.len), "  after what it held, byte for byte");
	is_int(spill_text_copy(&t, fd, "the copy"), 0, "copied again");
	buf_add(&two, want.s, want.len);
	ok(file_is(f, two.s, two.len), "  the same bytes again");
	close(fd);
	buf_adds(&out, "pre");
	is_int(spill_text_read(&t, &out), 0, "read back");
	ok(out.len == want.len + 3 && memcmp(out.s, "pre", 3) == 0 &&
	    memcmp(out.s + 3, want.s, want.len) == 0, "  appended, byte for byte");
	spill_text_free(&t);
	is_int(open_fds(), fds, "spill_text_free closes its file");
	buf_free(&want);
	buf_free(&out);
	buf_free(&two);
	free(f);
}

/* Empty text copies nothing and makes no file; a small text (never
 * flushed) copies whole; a copy that cannot be written is said. */
static void
t_text_small(const char *dir)
{
	char *f = scratch_path("small"), *err;
	struct buf out = { 0 };
	struct spill_text t;
	int fd, fds = open_fds();

	spill_text_init(&t, dir);
	put_file(f, "", 0600);
	fd = open(f, O_WRONLY | O_APPEND);
	is_int(spill_text_add(&t, "", 0), 0, "empty text: 0 bytes added");
	is_int(spill_text_copy(&t, fd, "the copy"), 0, "  copied");
	ok(file_is(f, "", 0), "  nothing written");
	is_int(spill_text_read(&t, &out), 0, "  read");
	is_int(out.len, 0, "  nothing read");
	is_int(open_fds(), fds + 1, "  no temporary file made");
	is_int(spill_text_add(&t, "abc", 3), 0, "3 bytes added");
	is_int(spill_text_copy(&t, fd, "the copy"), 0, "  copied");
	ok(file_is(f, "abc", 3), "  the 3 bytes written");
	close(fd);
	fd = open(f, O_RDONLY);
	cap_begin();
	is_int(spill_text_copy(&t, fd, "the-copy"), EX_IOERR,
	    "a copy to an fd open for reading: 74");
	err = cap_end();
	has(err, "cannot write the-copy", "  said, naming what");
	close(fd);
	spill_text_free(&t);
	is_int(open_fds(), fds, "no file left open");
	is_int(entries(dir), 0, "the folder holds no file");
	buf_free(&out);
	free(err);
	free(f);
}

/* ------------------------------------------------- the state, piecewise */

static dec_t
dec(const char *s)
{
	dec_t d = 0;

	if (dec_parse(s, strlen(s), &d) != 0)
		printf("# bad decimal %s\n", s);
	return d;
}

/* A state of n ledger ids (R000000 ...), its first ledger line "A" and
 * pad x's (which moves every later record by pad bytes), ids with a TAB
 * and a backslash, 300 POs of 3 lines, every third PO closed. */
static struct rx_state *
big_state(int pad, size_t n)
{
	struct rx_state *st = rx_state_new();
	char id[64], po[16];
	size_t i;
	int p;

	rx_state_set_cursor(st, INT64_C(1700000000000));
	rx_state_set_last(st, INT64_C(1700000000123));
	rx_state_set_floor(st, INT64_C(1600000000000));
	snprintf(id, sizeof id, "A%.*s", pad,
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	rx_state_ledger_put(st, id, 1);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, i % 500 ? "R%06zu" : "T\t%zu\\", i);
		rx_state_ledger_put(st, id, INT64_C(1700000000000) - (int64_t)i);
	}
	for (p = 0; p < 300; p++) {
		snprintf(po, sizeof po, "PO%04d", p);
		rx_state_set_line(st, po, "L1", RX_KNOWN, dec("12.5"), dec("3"));
		rx_state_set_line(st, po, "L\t2", RX_UNKNOWN, 0, dec("0.25"));
		rx_state_set_line(st, po, "3", RX_KNOWN, dec("7"), dec("7"));
		if (p % 3 == 0)
			rx_state_close(st, po, 1, INT64_C(1700000000000) + p);
	}
	return st;
}

static void
put_bytes(const char *path, const char *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write_all(fd, p, n) < 0 || close(fd) < 0)
		bail("cannot write", path);
}

/* The text at path loaded, and the same bytes parsed, each formatted
 * again: 1 when both are want byte for byte. */
static int
loads_as(const char *path, const char *want, size_t n)
{
	struct rx_state *a = rx_state_new(), *b = rx_state_new();
	struct buf fa = { 0 }, fb = { 0 };
	int r;

	put_bytes(path, want, n);
	r = rx_state_load(a, path, RX_STATE_MAX) == 0 &&
	    rx_state_parse(b, want, n, path) == 0;
	rx_state_format(a, &fa);
	rx_state_format(b, &fb);
	r = r && fa.len == n && fb.len == n && memcmp(fa.s, want, n) == 0 &&
	    memcmp(fb.s, want, n) == 0;
	rx_state_free(a);
	rx_state_free(b);
	buf_free(&fa);
	buf_free(&fb);
	return r;
}

/* Every way a piece's end can fall on a record: 40 states, each record
 * moved a byte further from one to the next. */
static void
t_load_pieces(const char *path)
{
	int pad, bad = 0, at_end = 0, nl_next = 0, inside = 0;
	struct rx_state *st;
	struct buf b = { 0 };
	size_t min = SIZE_MAX;

	for (pad = 0; pad < 40; pad++) {
		st = big_state(pad, 6000);
		rx_state_format(st, &b);
		rx_state_free(st);
		min = b.len < min ? b.len : min;
		if (b.s[PIECE - 1] == '\n')
			at_end++;
		else if (b.s[PIECE] == '\n')
			nl_next++;
		else
			inside++;
		bad += !loads_as(path, b.s, b.len);
		buf_reset(&b);
	}
	ok(min > 2 * PIECE, "each state over two pieces (%zu bytes)", min);
	ok(at_end && nl_next && inside, "a piece ends after a newline (%d), "
	    "before one (%d), inside a record (%d)", at_end, nl_next, inside);
	is_int(bad, 0, "rx_state_load gives rx_state_parse's state, byte for "
	    "byte, each time");
	buf_free(&b);
}

/* Records longer than a piece: a ledger id of 150 KB, a line id of 70. */
static void
t_load_long(const char *path)
{
	char *big = pattern(150000, 6), *line = pattern(70000, 7);
	struct rx_state *st = big_state(0, 10);
	struct buf b = { 0 };

	rx_state_ledger_put(st, big, 5);
	rx_state_set_line(st, "PO1", line, RX_KNOWN, dec("1"), dec("0"));
	rx_state_format(st, &b);
	ok(b.len > 220000, "a state with records of 150 and 70 KB");
	ok(loads_as(path, b.s, b.len), "  loads as it parses, byte for byte");
	rx_state_free(st);
	buf_free(&b);
	free(big);
	free(line);
}

/* A file of exactly one and two pieces: the end of the file on a
 * piece's end. */
static void
t_load_exact(const char *path)
{
	struct rx_state *st;
	struct buf b = { 0 };
	size_t want, i;
	char *id;

	for (i = 1; i <= 2; i++) {
		want = i * PIECE;
		st = big_state(0, 10);
		rx_state_format(st, &b);
		/* "r TAB id TAB 5 LF": the id's length makes it want bytes */
		id = pattern(want - b.len - 5, 8);
		id[0] = 'B';
		rx_state_ledger_put(st, id, 5);
		buf_reset(&b);
		rx_state_format(st, &b);
		is_int(b.len, want, "a state of exactly %zu pieces", i);
		ok(loads_as(path, b.s, b.len), "  loads as it parses");
		rx_state_free(st);
		free(id);
		buf_reset(&b);
	}
	buf_free(&b);
}

/* Lines before byte off, plus one: off's line. */
static int
line_at(const char *s, size_t off)
{
	int n = 1;
	size_t i;

	for (i = 0; i < off; i++)
		n += s[i] == '\n';
	return n;
}

/* Damage: rx_state_load and rx_state_parse both 78, the same message,
 * naming path:line (line 0 or more) and why. */
static void
damaged(const char *path, const char *p, size_t n, int line, const char *why,
    const char *how)
{
	struct rx_state *st = rx_state_new();
	char *e1, *e2, *want;
	int r1, r2;

	put_bytes(path, p, n);
	cap_begin();
	r1 = rx_state_load(st, path, RX_STATE_MAX);
	e1 = cap_end();
	rx_state_free(st);
	st = rx_state_new();
	cap_begin();
	r2 = rx_state_parse(st, p, n, path);
	e2 = cap_end();
	rx_state_free(st);
	is_int(r1, EX_CONFIG, "%s: rx_state_load 78", how);
	is_int(r2, EX_CONFIG, "%s: rx_state_parse 78", how);
	is_str(e1, e2, "%s: the same message", how);
	want = line < 0 ? xstrdup(why) : xasprintf("%s:%d: %s", path, line, why);
	has(e1, want, "  naming the line");
	free(want);
	free(e1);
	free(e2);
}

/* off, or the next byte that is not a newline */
static size_t
not_nl(const char *s, size_t off)
{
	return s[off] == '\n' ? off + 1 : off;
}

/* Where the line after off begins (a record of the wanted kind). */
static size_t
record_after(const char *s, size_t off, const char *kind)
{
	const char *p = strstr(s + off, kind);

	if (!p)
		bail("no record past the offset of the kind", kind + 1);
	return (size_t)(p - s) + 1;
}

static void
t_load_damaged(const char *path, const char *s, size_t n)
{
	char *c = xmalloc(n + 40);
	size_t at, cut;

	at = not_nl(s, 70000);
	memcpy(c, s, n);
	c[at] = 0;
	damaged(path, c, n, line_at(s, at), "a NUL byte", "NUL in piece 2");
	at = not_nl(s, PIECE);
	memcpy(c, s, n);
	c[at] = 0;
	damaged(path, c, n, line_at(s, at), "a NUL byte",
	    "NUL at piece 2's first byte");
	cut = (size_t)(strchr(s + 72000, '\n') - s);
	damaged(path, s, cut, line_at(s, cut), "the last line has no newline",
	    "no newline at the end, after 70 KB");
	memcpy(c, s, n);
	c[cut - 2] = 0;
	damaged(path, c, cut, line_at(s, cut), "a NUL byte",
	    "NUL in that last line");
	at = record_after(s, 100000, "\nr\t");
	memcpy(c, s, n);
	c[at] = 'z';
	damaged(path, c, n, line_at(s, at), "malformed record",
	    "an r record past piece 1 made z");
	at = record_after(s, 2 * PIECE, "\nc\t");
	memcpy(c, s, n);
	c[strchr(s + at, '\n') - s - 1] = 'x';
	damaged(path, c, n, line_at(s, at), "malformed record",
	    "a c record's time in piece 3 made x");
	damaged(path, "", 0, 0, "empty", "an empty file");
	memcpy(c, "posync receipt-export state 2", 29);
	memcpy(c + 29, s + 29, n - 29);
	damaged(path, c, n, -1, "written by a later posync", "a later version");
	c[27] = 'X';
	damaged(path, c, n, 1, "not a receipt-export state file", "not a state");
	free(c);
}

/* -1 and errno, nothing said: past max, missing, a folder. */
static void
t_load_errno(const char *path, const char *s, size_t n)
{
	struct rx_state *st = rx_state_new();
	char *err, *dir = scratch_path("");
	int r[5], e[5];

	put_bytes(path, s, n);
	cap_begin();
	r[0] = rx_state_load(st, path, n - 1);
	e[0] = errno;
	r[1] = rx_state_load(st, path, 100);
	e[1] = errno;
	r[2] = rx_state_load(st, "/nonexistent/posync.state", RX_STATE_MAX);
	e[2] = errno;
	r[3] = rx_state_load(st, dir, RX_STATE_MAX);
	e[3] = errno;
	rx_state_free(st);
	st = rx_state_new();
	r[4] = rx_state_load(st, path, n);
	err = cap_end();
	ok(r[0] == -1 && e[0] == EFBIG, "a file a byte over max: -1, EFBIG");
	ok(r[1] == -1 && e[1] == EFBIG, "max 100: -1, EFBIG");
	ok(r[2] == -1 && e[2] == ENOENT, "a missing file: -1, ENOENT");
	ok(r[3] == -1 && e[3] == EISDIR, "a folder: -1, EISDIR");
	is_int(r[4], 0, "a file of exactly max bytes loads");
	is_str(err, "", "  none of them said");
	rx_state_free(st);
	free(err);
	free(dir);
}

/* A state file holding R000000..R002999, an id with a TAB and 100 ids
 * of its own (Q...), last 777, PO0000 closed; st holds R000000..R(n-1),
 * that id, and PO0000 as a receipt id (not in the file's ledger). */
static struct rx_state *
peek_pair(const char *path, size_t n)
{
	struct rx_state *f = big_state(0, 3000), *st = rx_state_new();
	struct buf b = { 0 };
	char id[32];
	size_t i;

	rx_state_set_last(f, 777);
	rx_state_ledger_put(f, "tab\there", 9);
	for (i = 0; i < 100; i++) {
		snprintf(id, sizeof id, "Q%06zu", i);
		rx_state_ledger_put(f, id, 8);
	}
	rx_state_format(f, &b);
	put_bytes(path, b.s, b.len);
	rx_state_free(f);
	buf_free(&b);
	rx_state_set_last(st, 5);
	rx_state_ledger_put(st, "tab\there", 1);
	rx_state_ledger_put(st, "PO0000", 1);	/* the file's "c" record's */
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, i % 500 ? "R%06zu" : "T\t%zu\\", i);
		rx_state_ledger_put(st, id, 1);
	}
	return st;
}

static void
t_peek(const char *path)
{
	struct rx_state *st = peek_pair(path, 5000), *f = rx_state_new();
	struct buf before = { 0 }, after = { 0 };
	int64_t last = -1;
	size_t fresh = 0;
	struct stat sb;

	rx_state_format(st, &before);
	is_int(rx_state_peek(path, RX_STATE_MAX, st, &last, &fresh), 0,
	    "rx_state_peek of a file of 3101 ids");
	ok(stat(path, &sb) == 0 && sb.st_size > PIECE, "  over a piece");
	is_int(last, 777, "  its last");
	is_int(fresh, 2001, "  st's 5002 ids less the 3001 the file holds");
	rx_state_format(st, &after);
	ok(before.len == after.len && memcmp(before.s, after.s, before.len) == 0,
	    "  st as it was");
	is_int(rx_state_load(f, path, RX_STATE_MAX), 0, "the file loaded");
	is_int(rx_state_ledger_new(st, f), fresh,
	    "  rx_state_ledger_new agrees");
	rx_state_free(st);
	st = peek_pair(path, 1000);
	is_int(rx_state_peek(path, RX_STATE_MAX, st, &last, &fresh), 0,
	    "st's ids all in the file but PO0000");
	is_int(fresh, 1, "  one fresh: a \"c\" record's PO is no receipt id");
	rx_state_free(st);
	st = rx_state_new();
	is_int(rx_state_peek(path, RX_STATE_MAX, st, &last, &fresh), 0,
	    "an empty st");
	is_int(fresh, 0, "  none fresh");
	rx_state_free(st);
	rx_state_free(f);
	buf_free(&before);
	buf_free(&after);
}

/* As rx_state_load: -1 and errno, or 78 said, last and fresh untouched. */
static void
t_peek_bad(const char *path)
{
	struct rx_state *st = peek_pair(path, 10);
	char *err, *s, *want;
	int64_t last = -1;
	size_t n, fresh = 99, at;
	int r;

	errno = 0;
	ok(rx_state_peek("/nonexistent/x.state", RX_STATE_MAX, st, &last,
	    &fresh) == -1 && errno == ENOENT, "peek of a missing file: ENOENT");
	errno = 0;
	ok(rx_state_peek(path, 1000, st, &last, &fresh) == -1 &&
	    errno == EFBIG, "peek past max: EFBIG");
	if (read_file(path, 1 << 24, &s, &n) < 0)
		bail("cannot read back", path);
	at = record_after(s, 70000, "\nr\t");
	s[at + 1] = 'x';
	put_bytes(path, s, n);
	cap_begin();
	r = rx_state_peek(path, RX_STATE_MAX, st, &last, &fresh);
	err = cap_end();
	is_int(r, EX_CONFIG, "peek of a damaged record in piece 2: 78");
	want = xasprintf("%s:%d: malformed record", path, line_at(s, at));
	has(err, want, "  said, naming its line");
	ok(last == -1 && fresh == 99, "  last and fresh untouched");
	rx_state_free(st);
	free(want);
	free(err);
	free(s);
}

int
main(void)
{
	char *dir, *state;
	struct rx_state *st;
	struct buf b = { 0 };

	msg_init("spill-test");
	scratch_init("spill");
	dir = subdir("spill");
	state = scratch_path("state");
	t_empty(dir);
	t_fields(dir);
	t_many(dir);
	t_rank_max(dir);
	t_bad_dir();
	t_no_dir();
	t_text(dir);
	t_text_small(dir);
	is_int(entries(dir), 0, "at the end the spill folder is empty");
	t_load_pieces(state);
	t_load_long(state);
	t_load_exact(state);
	st = big_state(0, 6000);
	rx_state_format(st, &b);
	t_load_damaged(state, b.s, b.len);
	t_load_errno(state, b.s, b.len);
	t_peek(state);
	t_peek_bad(state);
	rx_state_free(st);
	buf_free(&b);
	free(dir);
	free(state);
	scratch_remove();
	return done_testing();
}
