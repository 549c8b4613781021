/*
 * parsedmark -- common/parsedmark.c, the text of po-export-parse's
 * parsed markers (SPOOL/state/parsed/<hash16>), every form a posync ever
 * wrote.
 *
 * The input is split at its first NUL byte into a CSV's name and a marker
 * as found on disk (any bytes, NULs included; without a NUL the whole
 * input is the marker and the name is "x.csv").  The marker is given as
 * po-export-parse's marker_read gives it: len bytes, a NUL after them.
 * Its first 32 bytes also make up counts.  Invariants:
 *  - parsedmark_text(name, counts) reads back: the same counts, its file
 *    line parsedmark_name(name), version 2, not damaged, and
 *    parsedmark_upgrade gives NULL for it;
 *  - parsedmark_name(name) is one line of printable ASCII, no '\r';
 *  - a marker of a later version (> 2) or a damaged one
 *    (parsedmark_damage) is never upgraded;
 *  - parsedmark_upgrade's text, when not NULL, says what it did, is
 *    version 2, not damaged, keeps the marker's counts (and its "rows"
 *    line or want of one), names the file the marker named or else
 *    parsedmark_name(name), and gives NULL when upgraded again.
 */
#include <string.h>

#include "fuzz.h"
#include "parsedmark.h"
#include "util.h"

static int
same_counts(const struct parsedmark_counts *a, const struct parsedmark_counts *b)
{
	return a->rows == b->rows && a->rejected == b->rejected &&
	    a->batches == b->batches && a->recovered == b->recovered;
}

static void
check_text(const char *name, const struct parsedmark_counts *c, int hashed)
{
	struct parsedmark_counts back;
	char *t = parsedmark_text(name, c, hashed), *n = parsedmark_name(name),
	    *f, *u;
	const char *what, *p;

	for (p = n; *p; p++)
		FUZZ_CHECK(*p >= 0x20 && *p < 0x7f, "parsedmark_name gives "
		    "byte %02X", (unsigned char)*p);
	FUZZ_CHECK(parsedmark_counts(t, &back) == 0 && same_counts(c, &back),
	    "a new marker's counts do not read back: %s", t);
	FUZZ_CHECK((f = parsedmark_file(t)) != NULL && strcmp(f, n) == 0,
	    "a new marker's file line is %s, not %s", f ? f : "missing", n);
	FUZZ_CHECK(parsedmark_version(t) == 2, "a new marker is version %d",
	    parsedmark_version(t));
	FUZZ_CHECK(parsedmark_damage(t, strlen(t)) == NULL,
	    "a new marker is damaged: %s", parsedmark_damage(t, strlen(t)));
	FUZZ_CHECK(parsedmark_hashed(t) == hashed, "a new marker's hash line "
	    "reads back as %d, not %d: %s", parsedmark_hashed(t), hashed, t);
	u = parsedmark_upgrade(t, strlen(t), name, &what);
	FUZZ_CHECK(u == NULL, "a new marker is upgraded to %s", u);
	free(f);
	free(n);
	free(t);
}

static void
check_upgrade(const char *m, size_t len, const char *name)
{
	struct parsedmark_counts c0, c1;
	const char *what, *what2, *dmg = parsedmark_damage(m, len);
	char *u = parsedmark_upgrade(m, len, name, &what), *u2, *f0, *f1, *n;
	int v = parsedmark_version(m), r0, r1;

	if (v > 2 || dmg)
		FUZZ_CHECK(u == NULL, "a %s marker is upgraded",
		    dmg ? "damaged" : "later version's");
	if (!u)
		return;
	FUZZ_CHECK(what != NULL, "an upgrade says not what it did");
	FUZZ_CHECK(!memchr(m, 0, len), "a marker with a NUL byte is upgraded");
	FUZZ_CHECK(parsedmark_version(u) == 2, "upgraded to version %d",
	    parsedmark_version(u));
	FUZZ_CHECK(parsedmark_damage(u, strlen(u)) == NULL, "upgraded to a "
	    "damaged marker (%s)", parsedmark_damage(u, strlen(u)));
	r0 = parsedmark_counts(m, &c0);
	r1 = parsedmark_counts(u, &c1);
	FUZZ_CHECK(r0 == r1 && same_counts(&c0, &c1), "the counts change "
	    "when upgraded");
	f0 = parsedmark_file(m);
	f1 = parsedmark_file(u);
	n = parsedmark_name(name);
	FUZZ_CHECK(f1 && strcmp(f1, f0 ? f0 : n) == 0, "upgraded, it names %s",
	    f1 ? f1 : "nothing");
	FUZZ_CHECK(parsedmark_hashed(u) == parsedmark_hashed(m), "upgraded, "
	    "the hash line is %s: the hash that names it changed",
	    parsedmark_hashed(u) ? "there" : "gone");
	u2 = parsedmark_upgrade(u, strlen(u), name, &what2);
	FUZZ_CHECK(u2 == NULL, "upgraded twice: %s", u2);
	free(n);
	free(f0);
	free(f1);
	free(u);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, 0, size), *m = (const char *)data;
	struct parsedmark_counts c = { 0 };
	char *name, *marker;
	size_t len = size;

	if (nul) {
		name = xstrndup(m, (size_t)(nul - m));
		m = nul + 1;
		len = size - (size_t)(m - (const char *)data);
	} else
		name = xstrdup("x.csv");
	memcpy(&c, data, size < sizeof c ? size : sizeof c);
	marker = xmalloc(len + 1);
	memcpy(marker, m, len);
	marker[len] = 0;
	check_text(name, &c, 1);
	check_text(name, &c, 0);
	check_upgrade(marker, len, name);
	free(marker);
	free(name);
	return 0;
}
