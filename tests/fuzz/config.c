/*
 * config -- common/config.c: config_load and config_secret, on files
 * written from the input (mode 0600, as posync wants them).
 *
 * The first byte picks what the rest is:
 *  0  a whole configuration file.  Loading never crashes; when it
 *     succeeds every number is within its documented range, every key
 *     with a default still has a non-empty value, base_url ends in '/',
 *     receipt_prefix is 1..64 of [A-Za-z0-9._-];
 *  1  a value for one string key (the second byte picks which), written
 *     as "key = value" in its section.  A value of plain bytes (no
 *     blanks, no comment or control bytes) that fits inih's line is read
 *     back exactly; a longer one is refused (EX_CONFIG), never cut;
 *  2  a secret file.  config_secret gives it back whole, less one LF or
 *     CRLF at its end, when it is one non-empty line of text; NULL when it
 *     holds any other control byte, NUL or line end (a bare CR would end
 *     up in an HTTP header: issue 8 finding 13) or is over 64 KiB.
 */
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "fuzz.h"
#include "fuzz_util.h"
#include "msg.h"

#define INI_LINE 200		/* Debian's libinih INI_MAX_LINE */

static const struct {
	const char *section, *key;
	size_t off;
	int secret;		/* a file that must be a regular file */
} strkeys[] = {
	{"sftp", "host", offsetof(struct config, sftp.host), 0},
	{"sftp", "user", offsetof(struct config, sftp.user), 0},
	{"sftp", "known_hosts", offsetof(struct config, sftp.known_hosts), 1},
	{"netsuite", "po_dir", offsetof(struct config, netsuite.po_dir), 0},
	{"netsuite", "po_pattern", offsetof(struct config, netsuite.po_pattern), 0},
	{"netsuite", "receipt_staging_dir", offsetof(struct config, netsuite.receipt_staging_dir), 0},
	{"hotwax", "token_file", offsetof(struct config, hotwax.token_file), 1},
	{"hotwax", "config_id", offsetof(struct config, hotwax.config_id), 0},
	{"spool", "dir", offsetof(struct config, spool.dir), 0},
};
#define NSTRKEYS (sizeof strkeys / sizeof *strkeys)

static char *
path(const char *name)
{
	static char p[4200];

	snprintf(p, sizeof p, "%s/%s", fuzz_tmpdir(), name);
	return p;
}

static int
nonempty(const char *s)
{
	return s && *s;
}

static void
whole_file(const uint8_t *d, size_t n)
{
	struct config c;
	const char *p = path("posync.conf"), *u;

	fuzz_write(p, d, n);
	if (config_load(&c, p) == 0) {
		FUZZ_CHECK(c.sftp.port >= 1 && c.sftp.port <= 65535, "port %d", c.sftp.port);
		FUZZ_CHECK(c.sftp.timeout >= 1 && c.hotwax.timeout >= 1 &&
		    c.hotwax.batch_size >= 1 && c.spool.keep_days >= 1 &&
		    c.hotwax.retries >= 0 && c.hotwax.retries <= 20 &&
		    c.netsuite.po_max_size >= 1 && c.hotwax.receipt_overlap >= 0 &&
		    (c.hotwax.allow_http == 0 || c.hotwax.allow_http == 1),
		    "a number out of range");
		FUZZ_CHECK(nonempty(c.sftp.user) && nonempty(c.netsuite.po_dir) &&
		    nonempty(c.netsuite.po_pattern) &&
		    nonempty(c.netsuite.arrival_date_format) &&
		    nonempty(c.netsuite.receipt_staging_dir) &&
		    nonempty(c.hotwax.config_id) && nonempty(c.spool.dir),
		    "a key with a default is empty");
		u = c.hotwax.base_url;
		FUZZ_CHECK(!u || (*u && u[strlen(u) - 1] == '/'), "base_url %s", u);
		u = c.netsuite.receipt_prefix;
		FUZZ_CHECK(nonempty(u) && strlen(u) <= 64 &&
		    strspn(u, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789._-") == strlen(u), "receipt_prefix %s", u);
	}
	config_free(&c);
}

static void
one_key(const uint8_t *d, size_t n)
{
	struct config c;
	char text[INI_LINE * 2 + 300], value[INI_LINE * 2];
	const char *p = path("posync.conf"), *got;
	struct stat st;
	size_t i, k, nv = 0;
	int r, len;

	if (n < 1)
		return;
	k = d[0] % NSTRKEYS;
	/* Plain bytes only: what inih passes through untouched. */
	for (i = 1; i < n && nv < sizeof value - 1; i++)
		if (d[i] > 0x20 && d[i] != 0x7f && d[i] != ';' && d[i] != '#' &&
		    !(nv == 0 && (d[i] == '[' || d[i] == '=' || d[i] == ':')))
			value[nv++] = (char)d[i];
	value[nv] = 0;
	if (nv == 0)
		return;
	len = snprintf(text, sizeof text, "[%s]\n%s = %s\n", strkeys[k].section,
	    strkeys[k].key, value);
	FUZZ_CHECK(len > 0 && (size_t)len < sizeof text, "text cut");
	fuzz_write(p, text, (size_t)len);
	r = config_load(&c, p);
	if (strlen(strkeys[k].key) + 3 + nv > INI_LINE - 2) {
		FUZZ_CHECK(r == EX_CONFIG, "a %zu-byte line accepted", strlen(strkeys[k].key) + 3 + nv);
	} else if (strkeys[k].secret && stat(value, &st) == 0 &&
	    !S_ISREG(st.st_mode)) {
		/* a secret or trust file must be a regular file (finding 10) */
		FUZZ_CHECK(r == EX_CONFIG, "[%s] %s = %s, not a regular file, "
		    "accepted", strkeys[k].section, strkeys[k].key, value);
	} else {
		FUZZ_CHECK(r == 0, "[%s] %s = %s refused", strkeys[k].section,
		    strkeys[k].key, value);
		got = *(char **)((char *)&c + strkeys[k].off);
		FUZZ_CHECK(got && strcmp(got, value) == 0, "[%s] %s: wrote %s, read %s",
		    strkeys[k].section, strkeys[k].key, value, got ? got : "(null)");
	}
	config_free(&c);
}

/* A secret file is one line of text: taken whole (less one LF or CRLF
 * at its end) when it is, refused (NULL) otherwise, never changed. */
static void
secret(const uint8_t *d, size_t n)
{
	const char *p = path("token");
	size_t m = n, i;
	char *got;
	int ok;

	if (m && d[m - 1] == '\n' && --m && d[m - 1] == '\r')
		m--;
	ok = n <= 64 * 1024 && m > 0;
	for (i = 0; ok && i < m; i++)
		ok = d[i] >= 0x20 && d[i] != 0x7f;
	fuzz_write(p, d, n);
	got = config_secret(p, "[hotwax] token_file");
	if (ok)
		FUZZ_CHECK(got && strlen(got) == m && memcmp(got, d, m) == 0,
		    "a one-line secret read as %s", got ? got : "(null)");
	else
		FUZZ_CHECK(!got, "a secret that is not one line of text read as %s", got);
	free(got);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		whole_file(data + 1, size - 1);
		break;
	case 1:
		one_key(data + 1, size - 1);
		break;
	default:
		secret(data + 1, size - 1);
		break;
	}
	return 0;
}
