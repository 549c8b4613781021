/*
 * Unit tests for common/safename.c: every awkward remote name gives a
 * local name that is safe, distinct from the others and stable; escaped
 * names decode back to the remote name (an independent decoder here), so
 * the mapping is one to one; long names are cut with a hash.  (The
 * quoting of names in messages, msg_quote, is tested with msg.c.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "tap.h"
#include "safename.h"
#include "util.h"

static int
is_safe(const char *s)
{
	const char *p;

	if (!*s || *s == '-' || *s == '.' || strlen(s) > SAFENAME_MAX)
		return 0;
	for (p = s; *p; p++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789._+=@,-", *p))
			return 0;
	return 1;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "=XX" back to bytes; -1 when the name is not an escaped name. */
static int
decode(const char *s, char *out, size_t *len)
{
	size_t n = 0;
	int h, l;

	for (; *s; s++) {
		if (*s != '=') {
			out[n++] = *s;
			continue;
		}
		if ((h = hexval(s[1])) < 0 || (l = hexval(s[2])) < 0)
			return -1;
		out[n++] = (char)(h * 16 + l);
		s += 2;
	}
	*len = n;
	return 0;
}

static char long1[301], long2[301], longnl[301], exact[200], over[201];

struct name {
	const char *s;
	size_t len;
	const char *want;	/* exact expected local name, or NULL */
};

/* Each name gives a safe local name (the exact one where known), the
 * same each time; no two names give the same. */
static void
test_each_name(const struct name *names, char **got, size_t n)
{
	size_t i, j;
	char *again;
	int all;

	for (i = 0; i < n; i++) {
		char *q = msg_quote(names[i].s, names[i].len > 60 ? 60 : names[i].len);

		if (!ok(is_safe(got[i]), "safe: %s", q))
			printf("#   got \"%s\"\n", got[i]);
		if (names[i].want)
			is_str(got[i], names[i].want, "exact name for %s", q);
		again = safename(names[i].s, names[i].len);
		is_str(again, got[i], "stable: %s", q);
		free(again);
		free(q);
	}
	all = 1;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(got[i], got[j]) == 0) {
				printf("#   %zu and %zu both give %s\n", i, j, got[i]);
				all = 0;
			}
	ok(all, "all %zu local names are distinct", n);
}

/* Every name that fits decodes back to the remote name. */
static void
test_decodes(const struct name *names, char **got, size_t n)
{
	char dec[1024];
	size_t i, dl;
	int all;

	all = 1;
	for (i = 0; i < n; i++) {
		if (strstr(got[i], "=_"))
			continue;
		if (decode(got[i], dec, &dl) < 0 || dl != names[i].len ||
		    memcmp(dec, names[i].s, dl) != 0) {
			printf("#   %s does not decode back\n", got[i]);
			all = 0;
		}
	}
	ok(all, "every escaped name decodes back to its remote name");
}

/* Long names are cut and hashed, never inside an escape. */
static void
test_long_names(char **got)
{
	char *again;

	is_str(got[25], exact, "a 199-byte plain name is kept whole");
	ok(strlen(got[26]) <= SAFENAME_MAX && strstr(got[26], "=_"),
	    "a name escaping to 201 bytes is cut and hashed");
	ok(strlen(got[22]) <= SAFENAME_MAX && strstr(got[22], "=_"),
	    "a 300-byte name is cut and hashed (%zu bytes)", strlen(got[22]));
	{
		size_t l = strlen(got[22]);

		ok(l > 4 && strcmp(got[22] + l - 4, ".csv") == 0, "  and keeps its .csv");
		again = xasprintf("=_%016llx.csv",
		    (unsigned long long)fnv64(FNV64_INIT, long1, 300));
		ok(l > strlen(again) && strcmp(got[22] + l - strlen(again), again) == 0,
		    "  the hash is FNV-1a 64 of the whole name");
		free(again);
	}
	ok(strncmp(got[22], got[23], 150) == 0 && strcmp(got[22], got[23]) != 0,
	    "two long names differing near the end: same prefix, different names");
	ok(strlen(got[24]) <= SAFENAME_MAX, "300 newlines: %zu bytes", strlen(got[24]));
	{
		/* The cut never splits an escape: after the prefix comes "=_". */
		char *p = strstr(got[24], "=_");
		size_t k;
		int whole = p && (p - got[24]) % 3 == 0;

		for (k = 0; whole && got[24] + k < p; k += 3)
			whole = strncmp(got[24] + k, "=0A", 3) == 0;
		ok(whole, "  cut between escapes, never inside one");
	}
	again = safename("", 0);
	ok(is_safe(again) || strcmp(again, "=") == 0, "an empty name gives \"%s\"", again);
	free(again);
}

/* spool_name_ok: the one rule every program checks; its length limits */
static void
test_spool_name_max(void)
{
	char at[SPOOL_NAME_MAX + 2];

	memset(at, 'a', SPOOL_NAME_MAX);
	memcpy(at + SPOOL_NAME_MAX - 5, ".json", 6);
	ok(spool_name_ok(at, ".json"), "a %d-byte name passes", SPOOL_NAME_MAX);
	memset(at, 'a', SPOOL_NAME_MAX + 1);
	memcpy(at + SPOOL_NAME_MAX - 4, ".json", 6);
	ok(!spool_name_ok(at, ".json"), "a %d-byte name does not", SPOOL_NAME_MAX + 1);
	ok(SPOOL_NAME_MAX + SPOOL_SUFFIX_MAX <= 255 &&
	    SPOOL_SUFFIX_MAX >= (int)strlen(".rows.json.err.tmp.4194304") - 5,
	    "the longest suffix a program adds still fits NAME_MAX");
	{
		/* the longest batch po-export-parse makes (a safename cut
		 * to SAFENAME_MAX, a 6-digit batch number), and the rows
		 * file po-import makes of it, pass: both can be imported */
		char remote[247], *safe, *b, *rows;

		memset(remote, 'n', 242);
		memcpy(remote + 242, ".csv", 5);
		safe = safename(remote, 246);
		b = xasprintf("%s.0123456789abcdef.999999.json", safe);
		rows = xasprintf("%s.0123456789abcdef.999999.rows.json", safe);
		ok(strlen(safe) == SAFENAME_MAX, "a 246-byte remote name is cut to %d", SAFENAME_MAX);
		ok(spool_name_ok(b, ".json") && strlen(b) <= SPOOL_BATCH_MAX,
		    "its batch %zu passes", strlen(b));
		ok(spool_name_ok(rows, ".json"), "... and its rows file (%zu bytes) too", strlen(rows));
		ok(strlen(rows) + strlen(".err.tmp.4194304") <= 255,
		    "... whose .err's temporary name fits NAME_MAX");
		free(safe);
		free(b);
		free(rows);
	}
}

/* The names it refuses and takes, among them the programs' own. */
static void
test_spool_name_rule(void)
{
	ok(!spool_name_ok(".json", ".json"), "no stem: refused");
	ok(!spool_name_ok("-x.json", ".json"), "leading '-': refused");
	ok(!spool_name_ok(".x.json", ".json"), "leading '.': refused");
	ok(!spool_name_ok("a b.json", ".json"), "a space: refused");
	ok(!spool_name_ok("a/b.json", ".json"), "a slash: refused");
	ok(!spool_name_ok("a.csv", ".json"), "another extension: refused");
	ok(spool_name_ok("a=C3=A9+@,_-.x", NULL), "any extension with NULL");
	/* the names po-import and receipt-push take (they had a
	 * good_name each; the rule is this one) */
	ok(spool_name_ok("posync_PurchaseOrderReceiptFeed_2026-01-02-03_04_05_006.json",
	    ".json"), "receipt-export's file name passes");
	ok(spool_name_ok("Fri=20Nov=2027.0123456789abcdef.000001.json", ".json"),
	    "a batch name passes");
	ok(spool_name_ok("Acme.Co_x.json", ".json"), "a person's plain name passes");
	ok(!spool_name_ok("x.json.tmp", ".json"), "a temporary name: refused");
	ok(!spool_name_ok("x.JSON", ".json"), "the extension is case-sensitive");
	ok(!spool_name_ok("a\nb.json", ".json"), "a newline: refused");
	ok(!spool_name_ok("caf\xc3\xa9.json", ".json"), "a raw UTF-8 byte: refused");
	ok(!spool_name_ok("", ".json") && !spool_name_ok("", NULL), "empty: refused");
}

/* spool_name_why: the one wording po-import and receipt-push print */
static void
test_spool_name_why(void)
{
	char *w, *longn = xasprintf("%0*d.json", SPOOL_NAME_MAX - 4, 0);

	ok(spool_name_why("a.json", ".json", "batch") == NULL, "spool_name_why: none for a good name");
	w = spool_name_why("-x.json", ".json", "batch");
	ok(w && strstr(w, "ends in .json and starts with neither '.' nor '-'"),
	    "  the rule, with its extension");
	free(w);
	w = spool_name_why("-x", NULL, "batch");
	ok(w && !strstr(w, "ends in"), "  no extension: none said");
	free(w);
	w = spool_name_why(longn, ".json", "batch");
	ok(w && strstr(w, "longer than the 234 a batch name may have"),
	    "  a name too long: its length");
	free(w);
	w = spool_name_why("-x.json", ".json", "receipt file");
	ok(w && strstr(w, "a receipt file name is letters") && !strstr(w, "batch"),
	    "  what the name is for, in the reason (review E: receipt-push "
	    "called a receipt file a batch)");
	free(w);
	free(longn);
}

/* Every safename still passes with the longest suffix a program adds. */
static void
test_spool_name_derived(char **got, size_t n)
{
	size_t i;
	char *again;

	/* the longest suffix po-export-parse adds */
	for (i = 0; i < n; i++) {
		again = xasprintf("%s.0123456789abcdef.recovered.csv", got[i]);
		if (!spool_name_ok(again, ".csv"))
			break;
		free(again);
		again = xasprintf("%s.0123456789abcdef.9999999.json", got[i]);
		if (!spool_name_ok(again, ".json"))
			break;
		free(again);
	}
	if (!ok(i == n, "every safename with the longest derived suffix passes"))
		printf("#   %s\n", again), free(again);
}

int
main(void)
{
	struct name names[] = {
		{"plain.csv", 0, "plain.csv"},
		{"with space.csv", 0, "with=20space.csv"},
		{"a:b", 0, "a=3Ab"},
		{"(x)", 0, "=28x=29"},
		{"Fri Nov 27 2026 08:15:00 GMT-0800 (Pacific Standard Time)-PurchaseOrder.csv", 0,
		 "Fri=20Nov=2027=202026=2008=3A15=3A00=20GMT-0800=20=28Pacific=20Standard"
		 "=20Time=29-PurchaseOrder.csv"},
		{"line\nbreak", 0, "line=0Abreak"},
		{"-rf", 0, "=2Drf"},
		{"a-b", 0, "a-b"},
		{".hidden", 0, "=2Ehidden"},
		{".", 0, "=2E"},
		{"..", 0, "=2E."},
		{"...", 0, "=2E.."},
		{"%", 0, "=25"},
		{"%25", 0, "=2525"},
		{"=", 0, "=3D"},
		{"=3D", 0, "=3D3D"},
		{"caf\xc3\xa9.csv", 0, "caf=C3=A9.csv"},
		{"tab\there", 0, "tab=09here"},
		{"back\\slash", 0, "back=5Cslash"},
		{"nul\0byte", 8, "nul=00byte"},
		{"a+b@c,d_e", 0, "a+b@c,d_e"},
		{"*?[]", 0, "=2A=3F=5B=5D"},
		{long1, 0, NULL},
		{long2, 0, NULL},
		{longnl, 0, NULL},
		{exact, 0, NULL},
		{over, 0, NULL},
	};
	size_t n = sizeof names / sizeof names[0], i;
	char *got[sizeof names / sizeof names[0]];

	memset(long1, 'a', 296);
	memcpy(long1 + 296, ".csv", 4);
	memcpy(long2, long1, 300);
	long2[295] = 'b';		/* differs only near the end */
	memset(longnl, '\n', 299);
	memset(exact, 'x', 199);	/* 199 bytes: fits */
	memset(over, 'x', 198);		/* 198 + "=20" = 201: too long */
	over[198] = ' ';
	over[199] = 0;

	for (i = 0; i < n; i++) {
		if (!names[i].len)
			names[i].len = strlen(names[i].s);
		got[i] = safename(names[i].s, names[i].len);
	}
	test_each_name(names, got, n);
	test_decodes(names, got, n);
	test_long_names(got);
	test_spool_name_max();
	test_spool_name_rule();
	test_spool_name_why();
	test_spool_name_derived(got, n);

	for (i = 0; i < n; i++)
		free(got[i]);

	return done_testing();
}
