/*
 * config -- see config.h.  The file is read with inih, through our own
 * line reader, for three reasons:
 *
 *  - inih hands its handler no line numbers (Debian builds it without
 *    INI_HANDLER_LINENO), and every message here must say FILE:LINE;
 *    the reader counts lines, and inih asks for line N+1 only after it
 *    has dealt with line N, so the count is right inside the handler.
 *  - inih reports only the first line it cannot parse; the reader sees
 *    every line, so it classifies each one itself and reports every bad
 *    line, not just the first.
 *  - inih (INI_ALLOW_MULTILINE) takes an indented line as the
 *    continuation of the previous value, so "  port = 2222" would
 *    silently become part of the line above.  The reader strips leading
 *    blanks, so an indented key is an ordinary key.
 *
 * inih itself splits "name = value", trims both and cuts an inline
 * comment: Debian's libinih is built with INI_ALLOW_INLINE_COMMENTS and
 * the prefix ";", which counts only after white space, so
 * "timeout = 30   ; seconds" gives "30" while "a;b" stays "a;b".
 * Its line buffer is INI_MAX_LINE (200) bytes; a longer line is an
 * error here rather than being cut.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "msg.h"
#include "pocsv.h"
#include "rfile.h"
#include "safename.h"
#include "util.h"

#define SECRET_MAX	(64 * 1024)
#define CONFIG_MAX	(1024 * 1024)	/* a config larger than this is a mistake */

enum ktype {
	K_STR,		/* optional string: empty means unset (NULL) */
	K_STRD,		/* string with a default: must not be empty */
	K_DATEFMT,	/* like K_STRD, without '%': see the handler */
	K_URL,		/* like K_STR, and ends in '/' */
	K_NAME,		/* a word for remote file names: name_ok() */
	K_HTTP,		/* like K_STR, an http(s) URL with no user:password@ */
	K_INT,		/* int within [min, max] */
	K_LL,		/* long long within [min, max] */
	K_BOOL		/* yes/no/true/false/on/off/1/0 */
};

struct key {
	const char *section, *name;
	enum ktype type;
	size_t off;
	long long min, max;
};

#define F(m) offsetof(struct config, m)
static const struct key keys[] = {
	{"sftp", "host", K_STR, F(sftp.host), 0, 0},
	{"sftp", "port", K_INT, F(sftp.port), 1, 65535},
	{"sftp", "user", K_STRD, F(sftp.user), 0, 0},
	{"sftp", "identity_file", K_STR, F(sftp.identity_file), 0, 0},
	{"sftp", "known_hosts", K_STR, F(sftp.known_hosts), 0, 0},
	{"sftp", "password_file", K_STR, F(sftp.password_file), 0, 0},
	{"sftp", "timeout", K_INT, F(sftp.timeout), 1, 3600},
	{"sftp", "run_timeout", K_INT, F(sftp.run_timeout), 1, 86400},
	{"sftp", "channels", K_INT, F(sftp.channels), 1, 8},

	{"netsuite", "po_dir", K_STRD, F(netsuite.po_dir), 0, 0},
	{"netsuite", "po_archive_dir", K_STRD, F(netsuite.po_archive_dir), 0, 0},
	{"netsuite", "po_error_dir", K_STRD, F(netsuite.po_error_dir), 0, 0},
	{"netsuite", "po_pattern", K_STRD, F(netsuite.po_pattern), 0, 0},
	{"netsuite", "po_min_age", K_INT, F(netsuite.po_min_age), 0, 86400},
	{"netsuite", "po_max_size", K_LL, F(netsuite.po_max_size), 1, 1LL << 40},
	{"netsuite", "arrival_date_format", K_DATEFMT, F(netsuite.arrival_date_format), 0, 0},
	{"netsuite", "receipt_dir", K_STRD, F(netsuite.receipt_dir), 0, 0},
	{"netsuite", "receipt_archive_dir", K_STRD, F(netsuite.receipt_archive_dir), 0, 0},
	{"netsuite", "receipt_error_dir", K_STRD, F(netsuite.receipt_error_dir), 0, 0},
	{"netsuite", "receipt_staging_dir", K_STRD, F(netsuite.receipt_staging_dir), 0, 0},
	{"netsuite", "receipt_stale_after", K_INT, F(netsuite.receipt_stale_after), 0, 30 * 86400},
	{"netsuite", "receipt_prefix", K_NAME, F(netsuite.receipt_prefix), 0, 0},

	{"hotwax", "base_url", K_URL, F(hotwax.base_url), 0, 0},
	{"hotwax", "token_file", K_STR, F(hotwax.token_file), 0, 0},
	{"hotwax", "username", K_STR, F(hotwax.username), 0, 0},
	{"hotwax", "password_file", K_STR, F(hotwax.password_file), 0, 0},
	{"hotwax", "ca_file", K_STR, F(hotwax.ca_file), 0, 0},
	{"hotwax", "config_id", K_STRD, F(hotwax.config_id), 0, 0},
	{"hotwax", "batch_size", K_INT, F(hotwax.batch_size), 1, 100000},
	{"hotwax", "timeout", K_INT, F(hotwax.timeout), 1, 3600},
	{"hotwax", "retries", K_INT, F(hotwax.retries), 0, 20},
	{"hotwax", "receipt_overlap", K_INT, F(hotwax.receipt_overlap), 0, 7 * 86400},
	{"hotwax", "log_wait", K_INT, F(hotwax.log_wait), 0, 3600},
	{"hotwax", "allow_http", K_BOOL, F(hotwax.allow_http), 0, 1},
	{"hotwax", "proxy", K_STR, F(hotwax.proxy), 0, 0},

	{"spool", "dir", K_STRD, F(spool.dir), 0, 0},
	{"spool", "keep_days", K_INT, F(spool.keep_days), 1, 3650},
	{"spool", "polines_keep_days", K_INT, F(spool.polines_keep_days), 0, 36500},
	{"spool", "syslog", K_BOOL, F(spool.syslog), 0, 1},

	{"metrics", "textfile_dir", K_STR, F(metrics.textfile_dir), 0, 0},
	{"metrics", "instance", K_NAME, F(metrics.instance), 0, 0},
	{"metrics", "push_url", K_HTTP, F(metrics.push_url), 0, 0},

	{"status", "inbound_warn", K_INT, F(status.inbound_warn), 60, 366 * 86400},
	{"status", "inbound_crit", K_INT, F(status.inbound_crit), 60, 366 * 86400},
	{"status", "outbound_warn", K_INT, F(status.outbound_warn), 60, 366 * 86400},
	{"status", "outbound_crit", K_INT, F(status.outbound_crit), 60, 366 * 86400},
	{"status", "queue_warn", K_INT, F(status.queue_warn), 60, 366 * 86400},
	{"status", "queue_crit", K_INT, F(status.queue_crit), 60, 366 * 86400},
	{"status", "unread_warn", K_INT, F(status.unread_warn), 0, 30 * 86400},
	{"status", "cursor_warn", K_INT, F(status.cursor_warn), 60, 366 * 86400},
	{"status", "cursor_crit", K_INT, F(status.cursor_crit), 60, 366 * 86400},
};
#undef F
#define NKEYS (sizeof keys / sizeof keys[0])

static const char *const sections[] = {"sftp", "netsuite", "hotwax", "spool",
    "metrics", "status"};
#define NSECTIONS (sizeof sections / sizeof sections[0])

#define NS "/home/hotwax/netsuite/purchaseorder"

static void
set_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->sftp.port = 22;
	c->sftp.user = xstrdup("hotwax");
	c->sftp.timeout = 30;
	c->sftp.run_timeout = 3600;
	c->sftp.channels = 8;

	c->netsuite.po_dir = xstrdup(NS "/fulfillment");
	c->netsuite.po_archive_dir = xstrdup(NS "/fulfillment/archive");
	c->netsuite.po_error_dir = xstrdup(NS "/fulfillment/error");
	c->netsuite.po_pattern = xstrdup("*.csv");
	c->netsuite.po_min_age = 60;
	c->netsuite.po_max_size = 104857600;
	c->netsuite.arrival_date_format = xstrdup("MM/DD/YYYY");
	c->netsuite.receipt_dir = xstrdup(NS "/receipt");
	c->netsuite.receipt_archive_dir = xstrdup(NS "/receipt/archive");
	c->netsuite.receipt_error_dir = xstrdup(NS "/receipt/error");
	c->netsuite.receipt_staging_dir = xstrdup(NS "/receipt-staging");
	c->netsuite.receipt_stale_after = 7200;
	c->netsuite.receipt_prefix = xstrdup("posync");

	c->hotwax.config_id = xstrdup("IMP_PO");
	c->hotwax.batch_size = 1000;
	c->hotwax.timeout = 60;
	c->hotwax.retries = 5;
	c->hotwax.receipt_overlap = 900;
	c->hotwax.log_wait = 60;
	c->hotwax.allow_http = 0;

	c->spool.dir = xstrdup("/var/spool/posync");
	c->spool.keep_days = 30;
	c->spool.polines_keep_days = 365;
	c->spool.syslog = 0;

	c->metrics.instance = xstrdup("default");

	c->status.inbound_warn = 3600;
	c->status.inbound_crit = 14400;
	c->status.outbound_warn = 3600;
	c->status.outbound_crit = 14400;
	c->status.queue_warn = 3600;
	c->status.queue_crit = 14400;
	c->status.unread_warn = 3600;
	c->status.cursor_warn = 172800;
	c->status.cursor_crit = 604800;
}

void
config_free(struct config *c)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		char **sp;

		/* every type but the numbers holds a string: a new string type
		 * is freed without a change here */
		if (keys[i].type == K_INT || keys[i].type == K_LL ||
		    keys[i].type == K_BOOL)
			continue;
		sp = (char **)((char *)c + keys[i].off);
		free(*sp);
		*sp = NULL;
	}
	free(c->path);
	c->path = NULL;
}

/* What the reader made of the current line. */
enum lkind { L_NONE, L_KEY };

struct ctx {
	struct config *c;
	const char *file;
	FILE *fp;
	char *raw;
	size_t rawcap;
	int lineno;
	int errors;
	int section;		/* index in sections[], -1 none, -2 unknown */
	enum lkind kind;	/* of the current line */
	int handled;		/* the handler saw the current line */
};

static void bad(struct ctx *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
bad(struct ctx *x, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);	/* a cut message is still useful */
	va_end(ap);
	msg_warn("%s:%d: %s", x->file, x->lineno, text);
	x->errors++;
}

/* Called before each new line is read, and at the end: a key line that
 * inih did not pass to the handler had no '=' or ':'. */
static void
finish_line(struct ctx *x)
{
	if (x->kind == L_KEY && !x->handled)
		bad(x, "expected \"key = value\"");
	x->kind = L_NONE;
	x->handled = 0;
}

static void
section_line(struct ctx *x, char *p)
{
	char *end = strchr(p, ']'), *rest;
	size_t i;

	if (!end) {
		bad(x, "section line without ']'");
		x->section = -2;
		return;
	}
	for (rest = end + 1; isspace((unsigned char)*rest); rest++)
		;
	if (*rest && *rest != ';' && *rest != '#') {
		bad(x, "unexpected text after ']'");
		x->section = -2;
		return;
	}
	*end = 0;
	for (i = 0; i < NSECTIONS; i++)
		if (strcmp(p + 1, sections[i]) == 0) {
			x->section = (int)i;
			return;
		}
	bad(x, "unknown section [%s] (known: [sftp], [netsuite], [hotwax], [spool])", p + 1);
	x->section = -2;
}

static char *
reader(char *str, int num, void *stream)
{
	struct ctx *x = stream;
	ssize_t n;
	char *p;
	size_t len;

	finish_line(x);
	n = getline(&x->raw, &x->rawcap, x->fp);
	if (n < 0)
		return NULL;
	x->lineno++;
	if (memchr(x->raw, 0, (size_t)n)) {
		bad(x, "NUL byte in line");
		goto empty;
	}
	while (n > 0 && (x->raw[n - 1] == '\n' || x->raw[n - 1] == '\r'))
		x->raw[--n] = 0;
	p = x->raw;
	if (x->lineno == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == 0 || *p == ';' || *p == '#')
		goto empty;
	if (*p == '[') {
		section_line(x, p);
		goto empty;
	}
	len = strlen(p);
	if (num < 3 || len > (size_t)num - 2) {
		bad(x, "line longer than %d bytes", num - 2);
		goto empty;
	}
	x->kind = L_KEY;
	memcpy(str, p, len);
	str[len] = '\n';
	str[len + 1] = 0;
	return str;
empty:
	/* inih sees a blank line: section lines, comments and lines already
	 * reported are ours alone. */
	if (num < 2)
		return NULL;
	str[0] = '\n';
	str[1] = 0;
	return str;
}

static int
parse_num(struct ctx *x, const struct key *k, const char *v, long long *out)
{
	char *end, *q;
	long long n;

	if (!*v) {
		bad(x, "[%s] %s needs a number (%lld..%lld)", k->section, k->name, k->min, k->max);
		return -1;
	}
	errno = 0;
	n = strtoll(v, &end, 10);
	if (*end || end == v || !(isdigit((unsigned char)*v) || *v == '-')) {
		q = msg_quote(v, strlen(v));
		bad(x, "[%s] %s: %s is not a number", k->section, k->name, q);
		free(q);
		return -1;
	}
	if (errno == ERANGE || n < k->min || n > k->max) {
		/* digits only (strtoll took it all): no need to quote */
		bad(x, "[%s] %s: %s is out of range (%lld..%lld)", k->section, k->name, v, k->min, k->max);
		return -1;
	}
	*out = n;
	return 0;
}

static int
parse_bool(struct ctx *x, const struct key *k, const char *v, int *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	size_t i;
	char *q;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	q = msg_quote(v, strlen(v));
	bad(x, "[%s] %s: %s is not a boolean (yes/no, true/false, on/off, 1/0)",
	    k->section, k->name, q);
	free(q);
	return -1;
}

static void
set_str(char **sp, char *v)
{
	free(*sp);
	*sp = v;
}

/* A word that goes into remote file names ([netsuite] receipt_prefix):
 * 1 to RFILE_PREFIX_MAX (64) of [A-Za-z0-9._-], starting as a spool name
 * may (safename.h: not '.', a hidden file on the server, nor '-'), since
 * receipt-push refuses in its spool a name that does not; rfile.h checks
 * at compile time that the longest makes a spool name.  The one home of
 * the rule: receipt-export and receipt-push trust it. */
static int
name_ok(const char *v)
{
	size_t n = strlen(v);

	return n > 0 && n <= RFILE_PREFIX_MAX && spool_lead_ok((unsigned char)v[0]) &&
	    strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") == n;
}

/* K_HTTP: http:// or https://, nothing blank or a control byte, no
 * user:password@ before the host (secrets never live in this file, and
 * the URL is said in messages), no query or fragment (a path is added to
 * it: a token in a query would be mangled and said). */
static void
set_http(struct ctx *x, const struct key *k, char **sp, const char *value)
{
	const char *host = value + (strncasecmp(value, "https://", 8) == 0 ? 8 :
	    strncasecmp(value, "http://", 7) == 0 ? 7 : 0);
	size_t auth = strcspn(host, "/?#");
	const unsigned char *u;
	char *q;

	if (!*value) {
		set_str(sp, NULL);
		return;
	}
	for (u = (const unsigned char *)value; *u > ' ' && *u != 0x7f; u++)
		;
	if (auth && memchr(host, '@', auth)) {	/* never repeated */
		bad(x, "[%s] %s holds a user:password@ before its host: "
		    "secrets never live in this file", k->section, k->name);
		return;
	}
	if (strpbrk(host, "?#")) {	/* a token may be in it: not said */
		bad(x, "[%s] %s holds a query or fragment (? or #): posync adds "
		    "its own path to it", k->section, k->name);
		return;
	}
	if (host == value || *u || !auth) {
		q = msg_quote(value, strlen(value));
		bad(x, "[%s] %s: %s must be an http:// or https:// URL with a "
		    "host", k->section, k->name, q);
		free(q);
		return;
	}
	set_str(sp, xstrdup(value));
}

/* The string kinds: K_STR, K_STRD, K_DATEFMT, K_URL, K_NAME, K_HTTP. */
static void
set_string(struct ctx *x, const struct key *k, char **sp, const char *value)
{
	char *q;

	if (k->type == K_HTTP) {
		set_http(x, k, sp, value);
		return;
	}
	switch (k->type) {
	case K_STR:
		set_str(sp, *value ? xstrdup(value) : NULL);
		break;
	case K_STRD:
		if (!*value) {
			bad(x, "[%s] %s must not be empty", k->section, k->name);
			break;
		}
		set_str(sp, xstrdup(value));
		break;
	case K_DATEFMT:
		/* A date pattern is YYYY, MM, DD and literal text.  '%' would be
		 * a literal too, but someone who writes it means strftime, and
		 * gets dates read wrongly: refused, so it is said at once. */
		if (!*value || strchr(value, '%')) {
			q = msg_quote(value, strlen(value));
			bad(x, "[%s] %s %s must not be empty nor hold '%%': "
			    "write the date with YYYY, MM and DD, e.g. MM/DD/YYYY",
			    k->section, k->name, q);
			free(q);
			break;
		}
		set_str(sp, xstrdup(value));
		break;
	case K_URL:
		if (!*value)
			set_str(sp, NULL);
		else if (value[strlen(value) - 1] == '/')
			set_str(sp, xstrdup(value));
		else
			set_str(sp, xasprintf("%s/", value));
		break;
	case K_NAME:
		if (!name_ok(value)) {
			q = msg_quote(value, strlen(value));
			bad(x, "[%s] %s: %s must be 1 to 64 of A-Z a-z 0-9 . _ - "
			    "(not starting with . or -)", k->section, k->name, q);
			free(q);
			break;
		}
		set_str(sp, xstrdup(value));
		break;
	default:
		break;
	}
}

/* One key's value, by its kind. */
static void
set_value(struct ctx *x, const struct key *k, const char *value)
{
	void *p = (char *)x->c + k->off;
	long long n;
	int b;

	switch (k->type) {
	case K_INT:
		if (parse_num(x, k, value, &n) == 0)
			*(int *)p = (int)n;
		break;
	case K_LL:
		if (parse_num(x, k, value, &n) == 0)
			*(long long *)p = n;
		break;
	case K_BOOL:
		if (parse_bool(x, k, value, &b) == 0)
			*(int *)p = b;
		break;
	default:
		set_string(x, k, (char **)p, value);
		break;
	}
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct ctx *x = user;
	const struct key *k = NULL;
	char *q;
	size_t i;

	(void)section;		/* ours is x->section: see reader() */
	x->handled = 1;
	if (x->section == -2)
		return 1;	/* the section was reported already */
	if (x->section < 0) {
		q = msg_quote(name, strlen(name));
		bad(x, "key %s outside a section", q);
		free(q);
		return 1;
	}
	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, sections[x->section]) == 0 &&
		    strcmp(keys[i].name, name) == 0) {
			k = &keys[i];
			break;
		}
	if (!k) {
		q = msg_quote(name, strlen(name));
		bad(x, "unknown key %s in [%s]", q, sections[x->section]);
		free(q);
		return 1;
	}
	set_value(x, k, value);
	return 1;
}

/*
 * Every file the configuration names that holds a secret or a trust
 * anchor must be a regular file.  libssh2 and libcurl open some of them
 * with fopen(3), where a FIFO blocks for ever, so they are checked here,
 * once, before any program gets to use them: stat(2) does not block.  A
 * missing file is left to the code that reads it, which says so; a
 * program that never uses the file is not stopped by its absence.
 * Returns the number of files refused.
 */
static int
check_secret_paths(const struct config *c)
{
	const struct {
		const char *what, *path;
	} f[] = {
		{ "[sftp] identity_file", c->sftp.identity_file },
		{ "[sftp] known_hosts", c->sftp.known_hosts },
		{ "[sftp] password_file", c->sftp.password_file },
		{ "[hotwax] token_file", c->hotwax.token_file },
		{ "[hotwax] password_file", c->hotwax.password_file },
		{ "[hotwax] ca_file", c->hotwax.ca_file },
	};
	struct stat st;
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (!f[i].path || stat(f[i].path, &st) < 0)
			continue;
		if (S_ISREG(st.st_mode))
			continue;
		msg_warn("%s: %s %s is %s, not a regular file", c->path,
		    f[i].what, f[i].path, S_ISDIR(st.st_mode) ? "a directory" :
		    S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ?
		    "a socket" : "a device");
		bad++;
	}
	return bad;
}

static int
load(struct config *c, const char *path)
{
	struct ctx x = {0};
	struct stat st;
	FILE *fp;
	int fd, r;

	set_defaults(c);
	if (!path || !*path) {
		/* set but empty is a wrapper's unset variable, as -c "" is
		 * (prog.c): never taken for unset, which would read the
		 * default, perhaps another installation's */
		if ((path = getenv("POSYNC_CONFIG")) && !*path) {
			msg_warn("POSYNC_CONFIG is set but empty: name the "
			    "configuration file in it, or unset it to read %s",
			    CONFIG_DEFAULT_PATH);
			return EX_CONFIG;
		}
		if (!path)
			path = CONFIG_DEFAULT_PATH;
	}
	c->path = xstrdup(path);
	/* open_regular: a FIFO here would block fopen(3) for ever, and cron
	 * would never hear of it */
	if ((fd = open_regular(path, O_RDONLY)) < 0 ||
	    !(fp = fdopen(fd, "r"))) {
		msg_warnerr("cannot read the configuration %s", path);
		if (fd >= 0)
			close(fd);
		return EX_CONFIG;
	}
	if (fstat(fileno(fp), &st) < 0) {
		msg_warnerr("%s", path);
		fclose(fp);
		return EX_CONFIG;
	}
	if (st.st_size > CONFIG_MAX) {
		msg_warn("%s: larger than %d bytes: not a configuration", path, CONFIG_MAX);
		fclose(fp);
		return EX_CONFIG;
	}
	/* The file decides where secrets are read and where the spool is:
	 * like ssh with its config, refuse one that others may change. */
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		msg_warn("permissions %04o for %s are too open: it must not be "
		    "writable by group or others (chmod go-w %s)",
		    (unsigned)(st.st_mode & 07777), path, path);
		fclose(fp);
		return EX_CONFIG;
	}
	x.c = c;
	x.file = path;
	x.fp = fp;
	x.section = -1;
	r = ini_parse_stream(reader, &x, handler, &x);
	finish_line(&x);
	if (ferror(fp)) {
		msg_warnerr("cannot read the configuration %s", path);
		x.errors++;
	} else if (r < 0) {
		msg_warn("%s: inih could not parse the file (error %d)", path, r);
		x.errors++;
	}
	/* r > 0 is the first line inih disliked: every such line was
	 * reported above with its own message, unless inih learnt a new
	 * trick; then say at least that. */
	if (r > 0 && !x.errors) {
		msg_warn("%s:%d: cannot parse this line", path, r);
		x.errors++;
	}
	free(x.raw);
	fclose(fp);
	if (!x.errors)
		x.errors = check_secret_paths(c);
	return x.errors ? EX_CONFIG : 0;
}

/* po-export-parse's: [netsuite] arrival_date_format has one year, month
 * and day (set_string refused it empty or with '%' already). */
int
config_check_date_format(const struct config *cfg)
{
	const char *f = cfg->netsuite.arrival_date_format;
	char *q;

	if (pocsv_date_format_ok(f))
		return 0;
	q = msg_quote(f, strlen(f));
	msg_warn("%s: [netsuite] arrival_date_format %s needs one year (YYYY "
	    "or YY), one month (MM or M) and one day (DD or D)", cfg->path, q);
	free(q);
	return EX_CONFIG;
}

/* A remote folder's path with "//", "." and ".." resolved lexically and
 * no trailing '/', so that two spellings of one folder compare equal. */
static char *
norm_dir(const char *p)
{
	struct buf b = {0};
	const char *seg, *end;
	size_t len, cut;

	if (*p == '/')
		buf_addc(&b, '/');
	for (seg = p; *seg; seg = *end ? end + 1 : end) {
		end = strchr(seg, '/');
		if (!end)
			end = seg + strlen(seg);
		len = (size_t)(end - seg);
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			cut = b.len;
			while (cut > 0 && b.s[cut - 1] != '/')
				cut--;
			if (cut < b.len) {	/* drop the last segment */
				b.len = cut > 1 ? cut - 1 : cut;
				b.s[b.len] = 0;
				continue;
			}
		}
		if (b.len && b.s[b.len - 1] != '/')
			buf_addc(&b, '/');
		buf_add(&b, seg, len);
	}
	return b.s ? b.s : xstrdup(".");
}

/* receipt-push's: staging is emptied at every run and written in place:
 * it must be a folder of its own.  Were it the receipt folder, NetSuite's unread
 * files would be removed as leftovers and uploads seen half-written;
 * were it the archive, the proof that a file went out would go. */
int
config_check_staging(const struct config *c)
{
	const char *other[] = { c->netsuite.receipt_dir,
	    c->netsuite.receipt_archive_dir, c->netsuite.receipt_error_dir,
	    c->netsuite.po_dir, c->netsuite.po_archive_dir,
	    c->netsuite.po_error_dir };
	static const char *const key[] = { "receipt_dir", "receipt_archive_dir",
	    "receipt_error_dir", "po_dir", "po_archive_dir", "po_error_dir" };
	char *stg = norm_dir(c->netsuite.receipt_staging_dir), *o;
	size_t i;
	int st = 0;

	for (i = 0; i < sizeof other / sizeof other[0] && !st; i++) {
		if (!other[i])
			continue;
		o = norm_dir(other[i]);
		if (strcmp(stg, o) == 0) {
			msg_warn("%s: [netsuite] receipt_staging_dir is the same "
			    "folder as %s (%s); it must be a folder of its own, "
			    "which receipt-push empties at every run",
			    c->path, key[i], stg);
			st = EX_CONFIG;
		}
		free(o);
	}
	free(stg);
	return st;
}

/* posync-status's thresholds: each warning comes before its critical.
 * [status] unread_warn is not among them: its critical is receipt-push's
 * [netsuite] receipt_stale_after, which may well be shorter (posync-status
 * then warns from it, said under -v), never a reason to stop monitoring. */
int
config_check_status(const struct config *c)
{
	const struct { int w, cr; const char *wk, *ck; } t[] = {
		{ c->status.inbound_warn, c->status.inbound_crit,
		    "[status] inbound_warn", "[status] inbound_crit" },
		{ c->status.outbound_warn, c->status.outbound_crit,
		    "[status] outbound_warn", "[status] outbound_crit" },
		{ c->status.queue_warn, c->status.queue_crit,
		    "[status] queue_warn", "[status] queue_crit" },
		{ c->status.cursor_warn, c->status.cursor_crit,
		    "[status] cursor_warn", "[status] cursor_crit" },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].w > t[i].cr) {
			msg_warn("%s: %s (%d s) is longer than %s (%d s): a "
			    "warning must come first", c->path, t[i].wk, t[i].w,
			    t[i].ck, t[i].cr);
			return EX_CONFIG;
		}
	return 0;
}

int
config_load(struct config *c, const char *path)
{
	int st = load(c, path);

	/* callers return at once: leave them nothing to free */
	if (st)
		config_free(c);
	return st;
}

/*
 * Secrets.  The checks are on the open descriptor (fstat), so the file
 * checked is the file read.  Modes are reported the way ssh does.
 */
static int
open_private(const char *path, const char *what, struct stat *st)
{
	int fd;

	if (!path || !*path) {
		msg_warn("%s is not set", what);
		return -1;
	}
	/* open_regular: a FIFO is refused at once instead of blocking */
	fd = open_regular(path, O_RDONLY);
	if (fd < 0) {
		msg_warnerr("cannot read %s (%s)", path, what);
		return -1;
	}
	if (fstat(fd, st) < 0) {
		msg_warnerr("%s (%s)", path, what);
		close(fd);
		return -1;
	}
	if (st->st_mode & 077) {
		msg_warn("permissions %04o for %s (%s) are too open: it must not "
		    "be accessible by group or others (chmod 600 %s)",
		    (unsigned)(st->st_mode & 07777), path, what, path);
		close(fd);
		return -1;
	}
	if (st->st_size == 0) {
		msg_warn("%s (%s) is empty", path, what);
		close(fd);
		return -1;
	}
	if (st->st_size > SECRET_MAX) {
		msg_warn("%s (%s) is larger than %d bytes", path, what, SECRET_MAX);
		close(fd);
		return -1;
	}
	return fd;
}

int
config_check_private(const char *path, const char *what)
{
	struct stat st;
	int fd = open_private(path, what, &st);

	if (fd < 0)
		return EX_CONFIG;
	close(fd);
	return 0;
}

/*
 * A secret file holds one line: the secret, then LF or CRLF or nothing.
 * Anything else is refused rather than cut: a CR or a NUL in a token
 * would end up inside the Authorization header, and a second line means
 * the file is not what the key says it is.  The message says where, never
 * what.  On success buf is NUL-terminated and *len its length.
 */
static int
one_line(char *buf, size_t *len, const char *path, const char *what)
{
	size_t n = *len, i;

	if (n && buf[n - 1] == '\n') {
		n--;
		if (n && buf[n - 1] == '\r')	/* CRLF, not a lone CR */
			n--;
	}
	buf[n] = 0;
	if (n == 0) {
		msg_warn("%s (%s) has an empty first line", path, what);
		return -1;
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)buf[i];

		if (ch < 0x20 || ch == 0x7f) {
			msg_warn("%s (%s) must be one line of text: control byte "
			    "0x%02x at byte %zu", path, what, ch, i + 1);
			return -1;
		}
	}
	*len = n;
	return 0;
}

char *
config_secret(const char *path, const char *what)
{
	struct stat st;
	char *buf, *nl;
	size_t len = 0;
	ssize_t r;
	int fd = open_private(path, what, &st);

	if (fd < 0)
		return NULL;
	buf = xmalloc(SECRET_MAX + 1);
	while (len <= SECRET_MAX) {
		r = read(fd, buf + len, SECRET_MAX + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			msg_warnerr("cannot read %s (%s)", path, what);
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	fd = -1;
	if (len > SECRET_MAX) {	/* it grew since fstat */
		msg_warn("%s (%s) is larger than %d bytes", path, what, SECRET_MAX);
		goto fail;
	}
	if (one_line(buf, &len, path, what) < 0)
		goto fail;
	/* Return a right-sized copy and wipe the big buffer: the rest of
	 * the file is not ours to keep in memory. */
	nl = xstrdup(buf);
	explicit_bzero(buf, SECRET_MAX + 1);
	free(buf);
	return nl;
fail:
	if (fd >= 0)
		close(fd);
	explicit_bzero(buf, SECRET_MAX + 1);
	free(buf);
	return NULL;
}
