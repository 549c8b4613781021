/*
 * msg -- see msg.h.  One place formats every message, so each one carries
 * the right program name and nothing else prints to stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "msg.h"
#include "util.h"

const char *progname = "posync";
int verbose;
static int use_syslog;
static int summary_armed;
static void summary(void);

/*
 * The exit statuses, most serious last: rank orders them for exit_merge
 * (a configuration or permission problem outranks a busy server, which
 * outranks a bad row).  text is what --help prints; done marks a run
 * that did its work (exit_done).
 */
static const struct exit_status {
	int		 code;
	const char	*name;
	const char	*text;
	int		 rank;
	int		 done;
} exits[] = {
	{ EX_OK,	  "EX_OK",	    "done", 0, 1 },
	{ EX_USAGE,	  "EX_USAGE",	    "usage error", 1, 0 },
	{ EX_DATAERR,	  "EX_DATAERR",
	    "bad input data: some rows or files rejected, the rest done", 2, 1 },
	{ EX_NOINPUT,	  "EX_NOINPUT",
	    "an input file is missing or unreadable", 3, 0 },
	{ EX_UNAVAILABLE, "EX_UNAVAILABLE",
	    "the other side is unavailable: try later", 4, 0 },
	{ EX_SOFTWARE,	  "EX_SOFTWARE",    "internal error", 5, 0 },
	{ EX_OSERR,	  "EX_OSERR",	    "system error: out of memory", 6, 0 },
	{ EX_IOERR,	  "EX_IOERR",
	    "local disk error, or standard output not writable", 7, 0 },
	{ EX_TEMPFAIL,	  "EX_TEMPFAIL",
	    "busy or temporary failure: try later", 8, 0 },
	{ EX_PROTOCOL,	  "EX_PROTOCOL",
	    "the other side answered nonsense", 9, 0 },
	{ EX_NOPERM,	  "EX_NOPERM",
	    "permission or authentication refused", 10, 0 },
	{ EX_CONFIG,	  "EX_CONFIG",	    "configuration error", 11, 0 },
};
#define NEXITS	(sizeof exits / sizeof exits[0])

/*
 * Make sure descriptors 0, 1 and 2 are open: run with one closed (cron,
 * CI without stdin), the next file opened would take its number, and a
 * spool file could be read as stdin or written by a message.
 */
static void
std_fds_open(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) < 0)
			exit(EX_OSERR);
}

void
msg_init(const char *argv0)
{
	const char *p;

	std_fds_open();
	if (!summary_armed && atexit(summary) == 0)
		summary_armed = 1;

	if (argv0 && *argv0) {
		p = strrchr(argv0, '/');
		progname = p ? p + 1 : argv0;
	}
}

void
msg_syslog(int on)
{
	if (on && !use_syslog)
		openlog(progname, LOG_PID, LOG_DAEMON);
	use_syslog = on;
}

/* ---- escaping: outside text never reaches a terminal or a log raw ---- */

/*
 * A character that may not be shown as it is although it is valid UTF-8:
 * the C1 controls U+0080-U+009F (U+009B is CSI, as ESC [ is), the line
 * and paragraph separators U+2028 and U+2029 (a break to some mail and
 * log viewers: a forged line), and the bidirectional marks, overrides and
 * isolates U+200E-U+200F, U+202A-U+202E, U+2066-U+2069, which make a line
 * read otherwise than it is.
 */
static int
utf8_hidden(const unsigned char *s, size_t len)
{
	if (len == 2)
		return s[0] == 0xc2 && s[1] <= 0x9f;
	if (len == 3 && s[0] == 0xe2 && s[1] == 0x80)
		return (s[2] >= 0x8e && s[2] <= 0x8f) ||
		    (s[2] >= 0xa8 && s[2] <= 0xae);
	if (len == 3 && s[0] == 0xe2 && s[1] == 0x81)
		return s[2] >= 0xa6 && s[2] <= 0xa9;
	return 0;
}

/*
 * One step of the escaping: the bytes at s as they are shown, in out
 * (at most ESC_STEP_MAX bytes, not terminated), their count in *outlen;
 * returns how many bytes of s it took (at least 1).  With quote, '"' and a
 * backslash are escaped too (msg_quote: the value ends only at its own quote).
 */
#define ESC_STEP_MAX 16
static size_t
esc_step(const unsigned char *s, size_t n, int quote, char *out, size_t *outlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = utf8_len(s, n), i, o = 0;

	if (quote && (s[0] == '"' || s[0] == '\\')) {
		out[0] = '\\';
		out[1] = (char)s[0];
		*outlen = 2;
		return 1;
	}
	if (len == 1 && s[0] >= 0x20 && s[0] != 0x7f) {
		out[0] = (char)s[0];
		*outlen = 1;
		return 1;
	}
	if (len == 1 && (s[0] == '\n' || s[0] == '\r' || s[0] == '\t')) {
		out[0] = '\\';
		out[1] = s[0] == '\n' ? 'n' : s[0] == '\r' ? 'r' : 't';
		*outlen = 2;
		return 1;
	}
	if (len > 1 && !utf8_hidden(s, len)) {
		memcpy(out, s, len);
		*outlen = len;
		return len;
	}
	if (len == 0)		/* not UTF-8: this byte alone */
		len = 1;
	for (i = 0; i < len; i++) {
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[s[i] >> 4];
		out[o++] = hex[s[i] & 15];
	}
	*outlen = o;
	return len;
}

size_t
esc_mem(char *dst, size_t size, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	char step[ESC_STEP_MAX];
	size_t i = 0, o = 0, k, sl;

	if (size == 0)
		return 0;
	while (i < n) {
		k = esc_step(u + i, n - i, 0, step, &sl);
		if (o + sl >= size)
			break;
		memcpy(dst + o, step, sl);
		o += sl;
		i += k;
	}
	dst[o] = 0;
	return i;
}

void
esc_add(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	char step[ESC_STEP_MAX];
	size_t i = 0, sl;

	buf_add(b, "", 0);	/* a NUL-terminated buffer even for n == 0 */
	while (i < n) {
		i += esc_step(u + i, n - i, 0, step, &sl);
		buf_add(b, step, sl);
	}
}

char *
msg_quote(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	char step[ESC_STEP_MAX];
	struct buf b = {0};
	size_t i = 0, k, sl;

	buf_addc(&b, '"');
	while (i < n) {
		k = esc_step(u + i, n - i, 1, step, &sl);
		if (b.len - 1 + sl > MSG_QUOTE_MAX)
			break;		/* whole escapes and characters only */
		buf_add(&b, step, sl);
		i += k;
	}
	buf_addc(&b, '"');
	if (i < n)
		buf_adds(&b, "...");
	return b.s;
}

void
esc_linef(struct buf *b, const char *fmt, ...)
{
	struct buf line = {0};
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0) {
		line.s = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(line.s, (size_t)n + 1, fmt, ap);
		va_end(ap);
		esc_add(b, line.s, (size_t)n);
	}
	buf_addc(b, '\n');
	free(line.s);
}

/* ---- the per-run bound on stderr and syslog ---- */

/*
 * A kind of message is one call site: the format and the address msg_warn
 * returns to.  The format alone would lump every msg_warn("%s", ...)
 * together, so a flood of one kind could hide another.  After MSG_SHOWN of
 * a kind the rest are counted, not shown, and at exit one line per kind
 * says how many were left out and what the first of them said.  msg_info
 * (-v, asked for by a person at a terminal) and msg_die are never held back.
 */
#define MSG_KINDS	256
#define MSG_FIRST	200	/* bytes of the first left-out message kept */
static struct kind {
	const void *fmt, *site;
	unsigned long n;
	char first[MSG_FIRST];
} kinds[MSG_KINDS];
static size_t nkinds;
/* kinds[] and the lines out: po-export-parse's download thread (follow)
 * may say a failure while the main thread says another */
static pthread_mutex_t kinds_mu = PTHREAD_MUTEX_INITIALIZER;

static struct kind *
kind_of(const void *fmt, const void *site)
{
	size_t i;

	for (i = 0; i < nkinds; i++)
		if (kinds[i].fmt == fmt && kinds[i].site == site)
			return &kinds[i];
	if (nkinds == MSG_KINDS)
		return NULL;	/* more call sites than posync has: show all */
	kinds[nkinds].fmt = fmt;
	kinds[nkinds].site = site;
	return &kinds[nkinds++];
}

static void say(int prio, const char *text);

static void
summary(void)
{
	char line[MSG_FIRST + 100];
	size_t i;

	pthread_mutex_lock(&kinds_mu);
	for (i = 0; i < nkinds; i++) {
		if (kinds[i].n <= MSG_SHOWN)
			continue;
		snprintf(line, sizeof line, "%lu more like: %s",
		    kinds[i].n - MSG_SHOWN, kinds[i].first);
		say(LOG_ERR, line);
		kinds[i].n = MSG_SHOWN;	/* said once, even if exit runs twice */
	}
	pthread_mutex_unlock(&kinds_mu);
	fflush(stderr);
}

/* The line goes out (escaped already): stderr, and syslog when on. */
static void
say(int prio, const char *text)
{
	fprintf(stderr, "%s: %s\n", progname, text);
	if (use_syslog)
		syslog(prio, "%s", text);
}

/*
 * The one sink.  The message is formatted, then escaped whole: a format
 * is posync's own text, but what it holds (a file name, a HotWax reply, a
 * row) may come from anywhere.  No allocation here: msg_die reports an
 * allocation that failed.
 */
static void emit(int prio, const char *fmt, va_list ap, const char *err,
    const void *site) __attribute__((format(printf, 2, 0)));

/* site: the caller's return address, for a message held back past
 * MSG_SHOWN of its kind; NULL for one always said. */
static void
emit(int prio, const char *fmt, va_list ap, const char *err, const void *site)
{
	char line[4096], out[4 * sizeof line + 1];
	struct kind *k;
	size_t o;
	int n;

	n = vsnprintf(line, sizeof line, fmt, ap);
	if (n < 0)
		line[0] = 0;
	else if ((size_t)n >= sizeof line)	/* say that it was cut */
		memcpy(line + sizeof line - 4, "...", 4);
	esc_mem(out, sizeof out, line, strlen(line));
	if (err) {
		o = strlen(out);
		snprintf(out + o, sizeof out - o, ": ");
		o = strlen(out);
		esc_mem(out + o, sizeof out - o, err, strlen(err));
	}
	pthread_mutex_lock(&kinds_mu);
	k = site ? kind_of(fmt, site) : NULL;
	if (k && ++k->n > MSG_SHOWN) {
		/* out is escaped already: this only cuts it at a whole
		 * character, and says so */
		if (k->n == MSG_SHOWN + 1 && esc_mem(k->first,
		    sizeof k->first - 3, out, strlen(out)) < strlen(out))
			strcat(k->first, "...");
	} else
		say(prio, out);
	pthread_mutex_unlock(&kinds_mu);
}

/* The body of each entry point below: its arguments formatted by emit.
 * site: as emit's. */
#define EMIT(prio, fmt, err, site) do {		\
	va_list ap_;					\
							\
	va_start(ap_, fmt);				\
	emit(prio, fmt, ap_, err, site);		\
	va_end(ap_);					\
} while (0)

void
msg_warn(const char *fmt, ...)
{
	EMIT(LOG_ERR, fmt, NULL, __builtin_return_address(0));
}

void
msg_warnerr(const char *fmt, ...)
{
	const char *err = msg_strerror(errno);

	EMIT(LOG_ERR, fmt, err, __builtin_return_address(0));
}

void
msg_info(const char *fmt, ...)
{
	if (verbose)
		EMIT(LOG_INFO, fmt, NULL, NULL);
}

void
msg_die(int status, const char *fmt, ...)
{
	EMIT(LOG_ERR, fmt, NULL, NULL);
	exit(status);
}

void
msg_dieerr(int status, const char *fmt, ...)
{
	const char *err = msg_strerror(errno);

	EMIT(LOG_ERR, fmt, err, NULL);
	exit(status);
}

void
msg_cannot_read(const char *what)
{
	msg_warnerr("cannot read %s", what);
}

const char *
msg_strerror(int e)
{
	return e == ENOTREG ? "not a regular file" : strerror(e);
}

/*
 * A status's place in the order exit_merge keeps: 2 * rank + 1 for one of
 * the table; any other value (a caller's sentinel) sits, by its value,
 * just above the table's codes below it, so that no pair is left unordered.
 */
static int
exit_rank(int code)
{
	size_t i;
	int r = 0;

	for (i = 0; i < NEXITS; i++)
		if (exits[i].code == code)
			return 2 * exits[i].rank + 1;
	for (i = 0; i < NEXITS; i++)
		if (exits[i].code < code && 2 * exits[i].rank + 2 > r)
			r = 2 * exits[i].rank + 2;
	return r;
}

int
exit_merge(int a, int b)
{
	int ra = exit_rank(a), rb = exit_rank(b);

	if (ra != rb)
		return ra > rb ? a : b;
	return a > b ? a : b;
}

int
exit_done(int st)
{
	size_t i;

	for (i = 0; i < NEXITS; i++)
		if (exits[i].code == st)
			return exits[i].done;
	return 0;
}

const char *
msg_exit_table(void)
{
	static struct buf b;
	size_t i;

	if (b.s != NULL)
		return b.s;
	buf_adds(&b, "exit status:\n");
	for (i = 0; i < NEXITS; i++)
		buf_addf(&b, "  %-4d%s\n", exits[i].code, exits[i].text);
	return b.s;
}
