/*
 * Unit tests of common/msg.c: the escaping every message gets (esc_mem,
 * esc_add, esc_linef), the quoting of outside text named in a message
 * (msg_quote: the same rule, quoted, bounded), that a message is one line with no control byte
 * whatever it quotes, and the per-run bound on stderr (MSG_SHOWN of a
 * kind, then a count at exit).  Also that a date format holding '%' is
 * text in pocsv's reasons, never a format.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "pocsv.h"
#include "util.h"
#include "tap.h"

static void
esc_is(const char *in, size_t n, const char *want, const char *what)
{
	char out[256];
	struct buf b = {0};

	is_int(esc_mem(out, sizeof out, in, n), n, "%s: esc_mem takes it all", what);
	is_str(out, want, "%s: esc_mem", what);
	esc_add(&b, in, n);
	is_str(b.s, want, "%s: esc_add", what);
	buf_free(&b);
}

static void
test_escape(void)
{
	char out[8];
	struct buf b = {0};

	esc_is("plain text, \"quoted\" \\ too", 26, "plain text, \"quoted\" \\ too", "printable ASCII");
	esc_is("a\nb\rc\td", 7, "a\\nb\\rc\\td", "LF CR TAB");
	esc_is("\x1b[2J", 4, "\\x1b[2J", "ESC");
	esc_is("x\0y", 3, "x\\x00y", "NUL");
	esc_is("\x7f\x01\x1f", 3, "\\x7f\\x01\\x1f", "DEL and other C0");
	esc_is("\x9b" "1m", 3, "\\x9b1m", "raw C1 CSI");
	esc_is("\xc2\x9b" "1m", 4, "\\xc2\\x9b1m", "C1 CSI as UTF-8");
	esc_is("Caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x98\x80", 14,
	    "Caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x98\x80", "UTF-8 text stays");
	esc_is("\xc2\xa0", 2, "\xc2\xa0", "U+00A0, just past C1, stays");
	esc_is("\xe2\x80\xae" "evil", 7, "\\xe2\\x80\\xaeevil", "bidi override");
	esc_is("\xe2\x81\xa6", 3, "\\xe2\\x81\\xa6", "bidi isolate");
	esc_is("a\xe2\x80\xa8" "b\xe2\x80\xa9", 8, "a\\xe2\\x80\\xa8b\\xe2\\x80\\xa9",
	    "line and paragraph separators: no forged line in a viewer");
	esc_is("\xe2\x80\x8f", 3, "\\xe2\\x80\\x8f", "a right-to-left mark");
	esc_is("\xe2\x80\x94", 3, "\xe2\x80\x94", "an em dash is shown as it is");
	esc_is("\xff\xfe", 2, "\\xff\\xfe", "not UTF-8");
	esc_is("\xc3", 1, "\\xc3", "a cut sequence");
	esc_is("\xc0\xaf", 2, "\\xc0\\xaf", "an overlong form");
	esc_is("\xed\xa0\x80", 3, "\\xed\\xa0\\x80", "a surrogate");
	esc_is("\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80", "past U+10FFFF");
	esc_is("", 0, "", "empty");

	/* whole escapes only, and always terminated */
	is_int(esc_mem(out, 6, "ab\ncd", 5), 4, "esc_mem stops before an escape that does not fit");
	is_str(out, "ab\\nc", "... leaving what fit");
	is_int(esc_mem(out, 4, "\x1b", 1), 0, "an escape longer than the room is left out");
	is_str(out, "", "... and the result is empty");
	is_int(esc_mem(out, 0, "x", 1), 0, "size 0 writes nothing");

	esc_linef(&b, "row %d: %s", 7, "a\nforged: line");
	esc_linef(&b, "%s", "");
	is_str(b.s, "row 7: a\\nforged: line\n\n", "esc_linef: one line per call, ended by LF");
	buf_free(&b);
}

static void
quote_is(const char *in, size_t n, const char *want, const char *what)
{
	char *q = msg_quote(in, n);

	is_str(q, want, "msg_quote: %s", what);
	free(q);
}

/* What msg_quote gives for n bytes of c: the expected text built here,
 * byte by byte, from the rule (not from msg_quote's output). */
static void
quote_long(int c, size_t n, const char *shown, size_t cut, const char *what)
{
	struct buf in = {0}, want = {0};
	size_t i;

	for (i = 0; i < n; i++)
		buf_addc(&in, (char)c);
	buf_addc(&want, '"');
	for (i = 0; i < cut; i++)
		buf_adds(&want, shown);
	buf_adds(&want, cut < n ? "\"..." : "\"");
	quote_is(in.s, n, want.s, what);
	buf_free(&in);
	buf_free(&want);
}

/* The reader of msg_quote's text, written from the rule in msg.h: "..."
 * with \\ \" \n \r \t \xHH, every other byte as it is.  -1 when it is
 * not such a text. */
static long
unquote(const char *q, char *out)
{
	size_t n = strlen(q), i, o = 0;
	unsigned v;

	if (n < 2 || q[0] != '"' || q[n - 1] != '"')
		return -1;
	for (i = 1; i < n - 1; i++) {
		if (q[i] == '"')
			return -1;	/* a quote inside must be escaped */
		if (q[i] != '\\') {
			out[o++] = q[i];
			continue;
		}
		if (++i >= n - 1)
			return -1;	/* the closing quote escaped */
		switch (q[i]) {
		case '\\': case '"': out[o++] = q[i]; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'x':
			if (sscanf(q + i + 1, "%2x", &v) != 1)
				return -1;
			out[o++] = (char)v;
			i += 2;
			break;
		default:
			return -1;
		}
	}
	return (long)o;
}

/* Under the bound, what msg_quote writes reads back as what it was given,
 * and holds no control byte: every byte value, alone and among text. */
static void
test_quote_roundtrip(void)
{
	char in[300], out[300], *q;
	size_t bad = 0, ctl = 0, i, c, n;

	for (c = 0; c < 256; c++) {
		n = (size_t)snprintf(in, sizeof in, "a\"\\%c\xc3\xa9%c", (int)c, (int)c);
		q = msg_quote(in, n);
		if (unquote(q, out) != (long)n || memcmp(in, out, n) != 0)
			bad++;
		for (i = 0; q[i]; i++)
			if ((unsigned char)q[i] < 0x20 || q[i] == 0x7f)
				ctl++;
		free(q);
	}
	is_int(bad, 0, "msg_quote: every byte value reads back as it was (no cut)");
	is_int(ctl, 0, "msg_quote: no control byte in what it writes");
}

static void
test_quote(void)
{
	char big[MSG_QUOTE_MAX + 8], *q, out[4 * MSG_QUOTE_MAX];

	/* the cases the old msgquote (safename.c) had, in the one rule's form:
	 * UTF-8 text now stays readable */
	quote_is("a\nb\tc\\d\x01\xc3\xa9 e", 12, "\"a\\nb\\tc\\\\d\\x01\xc3\xa9 e\"",
	    "control bytes escaped, backslash doubled, UTF-8 kept");
	quote_is("nul\0x", 5, "\"nul\\x00x\"", "a NUL byte");
	quote_is("", 0, "\"\"", "nothing");
	quote_is(NULL, 0, "\"\"", "NULL, 0");
	/* the cases of the old qval (pocsv.c) */
	quote_is("12\" Pan", 7, "\"12\\\" Pan\"", "a quote");
	quote_is("x\" and a forged \"y", 18, "\"x\\\" and a forged \\\"y\"",
	    "a value cannot end its own quotes");
	quote_is("C:\\dir\\", 7, "\"C:\\\\dir\\\\\"", "backslashes, one last");
	quote_is("\x1b[2J\r\x7f", 6, "\"\\x1b[2J\\r\\x7f\"", "ESC, CR, DEL");
	quote_is("\x9b" "1m \xc2\x9b", 6, "\"\\x9b1m \\xc2\\x9b\"", "C1 raw and as UTF-8");
	quote_is("\xe2\x80\xae" "gpj.exe", 10, "\"\\xe2\\x80\\xaegpj.exe\"", "a bidi override");
	quote_is("\xff\xfe" "ok \xc3", 6, "\"\\xff\\xfeok \\xc3\"", "invalid and cut UTF-8");
	quote_is("caf\xc3\xa9 \xe2\x98\x95", 9, "\"caf\xc3\xa9 \xe2\x98\x95\"", "UTF-8 text stays");

	/* bounded: at most MSG_QUOTE_MAX bytes shown, cut whole, "..." after */
	quote_long('a', MSG_QUOTE_MAX, "a", MSG_QUOTE_MAX, "exactly MSG_QUOTE_MAX bytes: whole");
	quote_long('a', MSG_QUOTE_MAX + 1, "a", MSG_QUOTE_MAX, "one byte more: cut, and ... said so");
	quote_long('a', 100000, "a", MSG_QUOTE_MAX, "100,000 bytes: cut at MSG_QUOTE_MAX");
	quote_long('\x01', 1000, "\\x01", MSG_QUOTE_MAX / 4, "escapes count as shown: 4 bytes each");
	quote_long('"', 1000, "\\\"", MSG_QUOTE_MAX / 2, "quotes count as shown: 2 bytes each");
	memset(big, 'a', MSG_QUOTE_MAX - 1);
	memcpy(big + MSG_QUOTE_MAX - 1, "\xc3\xa9", 2);	/* é across the bound */
	q = msg_quote(big, MSG_QUOTE_MAX + 1);
	ok(strlen(q) == 1 + MSG_QUOTE_MAX - 1 + 4 && strcmp(q + MSG_QUOTE_MAX, "\"...") == 0,
	    "msg_quote: a character across the bound is left out whole");
	free(q);
	memset(big, 'a', MSG_QUOTE_MAX - 2);
	memcpy(big + MSG_QUOTE_MAX - 2, "\x1b" "b", 2);	/* \x1b across the bound */
	q = msg_quote(big, MSG_QUOTE_MAX);
	ok(strlen(q) == 1 + MSG_QUOTE_MAX - 2 + 4 && strcmp(q + MSG_QUOTE_MAX - 1, "\"...") == 0,
	    "msg_quote: an escape across the bound is left out whole");

	/* what msg_quote gives is left as it is by the escaping of messages */
	free(q);
	q = msg_quote("one\nmsgtest: forged\x1b[2J \"\\ \xc2\x9b \xe2\x80\xae caf\xc3\xa9", 39);
	esc_mem(out, sizeof out, q, strlen(q));
	is_str(out, q, "msg_quote's text passes the message escaping unchanged");
	free(q);
}

/* Run fn in a child with stderr in a file; its stderr, malloc'd. */
static char *
child_stderr(void (*fn)(void))
{
	char path[] = "/tmp/posync-msg-test.XXXXXX", *data = NULL;
	size_t len;
	int fd, status;
	pid_t pid;

	if ((fd = mkstemp(path)) < 0)
		return NULL;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		dup2(fd, 2);
		msg_init("msgtest");
		fn();
		exit(0);	/* atexit: the summary */
	}
	close(fd);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    read_file(path, 1 << 20, &data, &len) < 0)
		data = NULL;
	unlink(path);
	return data;
}

static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	while (s && (s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

static void
hostile_messages(void)
{
	msg_warn("log says: %s", "one\nmsgtest: forged\x1b[2J\r\x9b\xc2\x9b end");
	errno = ENOENT;
	msg_warnerr("file %s", "a\tb");
}

static void
quoted_message(void)
{
	char *q = msg_quote("x\" at 1\nmsgtest: forged\x1b[2J", 27);

	msg_warn("cannot open %s: gone", q);
	free(q);
}

static void
flood(void)
{
	int i;

	for (i = 0; i < 50; i++)
		msg_warn("row %d: bad", i);
	for (i = 0; i < 3; i++)
		msg_warn("other %d", i);
	for (i = 0; i < 30; i++)
		msg_warn("third %d", i);
	verbose = 1;
	for (i = 0; i < 25; i++)
		msg_info("progress %d", i);
}

static void
long_flood(void)
{
	char big[400];
	int i;

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	for (i = 0; i < MSG_SHOWN + 1; i++)
		msg_warn("%s", big);
}

static void
test_messages(void)
{
	char *e = child_stderr(hostile_messages), *p;
	size_t i, bad = 0;

	ok(e != NULL, "a child printed messages");
	is_str(e, "msgtest: log says: one\\nmsgtest: forged\\x1b[2J\\r\\x9b\\xc2\\x9b end\n"
	    "msgtest: file a\\tb: No such file or directory\n",
	    "stderr: one line per message, every control byte escaped");
	for (p = e; p && *p; p++)
		if ((unsigned char)*p < 0x20 ? *p != '\n' : (unsigned char)*p >= 0x7f)
			bad++;
	is_int(bad, 0, "no byte but printable ASCII and LF");
	free(e);

	e = child_stderr(quoted_message);
	is_str(e, "msgtest: cannot open \"x\\\" at 1\\nmsgtest: forged\\x1b[2J\": gone\n",
	    "a msg_quote'd value in a message: quoted, escaped once, one line");
	free(e);

	e = child_stderr(flood);
	ok(e != NULL, "a flood of messages");
	is_int(count(e, "msgtest: row "), MSG_SHOWN, "at most MSG_SHOWN of one kind");
	ok(strstr(e, "msgtest: row 19: bad\n") && !strstr(e, "msgtest: row 20: bad\n"),
	    "... the first ones");
	is_int(count(e, "msgtest: other "), 3, "another kind is not held back by the flood");
	is_int(count(e, "msgtest: third "), MSG_SHOWN, "a third kind has its own count");
	is_int(count(e, "msgtest: progress "), 25, "msg_info (-v) is not held back");
	ok(strstr(e, "msgtest: 30 more like: row 20: bad\n") != NULL,
	    "at exit: how many were left out, and the first of them");
	ok(strstr(e, "msgtest: 10 more like: third 20\n") != NULL,
	    "... for each kind");
	is_int(count(e, "more like"), 2, "... and none for a kind under the bound");
	for (i = 0, p = e; p && (p = strchr(p, '\n')); p++)
		i++;
	is_int(i, MSG_SHOWN + 3 + MSG_SHOWN + 25 + 2, "stderr lines in all");
	free(e);

	e = child_stderr(long_flood);
	p = e ? strstr(e, "msgtest: 1 more like: ") : NULL;
	ok(p != NULL, "a long message left out is summed up");
	p = p ? p + strlen("msgtest: 1 more like: ") : NULL;
	is_int(p ? strcspn(p, "\n") : 0, 196 + 3, "... cut at its first 196 bytes, and ... said so");
	ok(p && strncmp(p + 196, "...\n", 4) == 0, "... ending in ...");
	free(e);
}

/* arrival_date_format is config text: pocsv must never use it as a format */
static void
test_date_format_text(void)
{
	static const char csv[] = "external-id,product-sku,quantity,"
	    "external-facility-id,item-external-id,arrival-date\n"
	    "1,SKU,1,116,1,not a date\n";
	char fmt[128] = "MM/DD/YYYY %p";
	struct pocsv *p = NULL;
	struct pocsv_row row;
	char *why = NULL;
	int fds[2], i;

	for (i = 0; i < 20; i++)
		strcat(fmt, "%s");
	if (pipe(fds) < 0 || write(fds[1], csv, sizeof csv - 1) != (ssize_t)(sizeof csv - 1)) {
		ok(0, "pipe for the CSV");
		return;
	}
	close(fds[1]);
	is_int(pocsv_open(&p, fds[0], fmt, &why), 0, "a CSV read with a date format holding %%p and %%s");
	is_int(pocsv_next(p, &row), 1, "its row is read");
	ok(row.reason && strstr(row.reason, "in the format MM/DD/YYYY %p%s%s%s"),
	    "the reason quotes the format as text");
	if (row.reason)
		printf("#   reason: %s\n", row.reason);
	pocsv_close(p);
	close(fds[0]);
	free(why);
}

/*
 * exit_merge ranks by msg.c's table; the result is the numeric maximum,
 * as it was when it compared values, for every code in the table and for
 * the sentinels callers pass (-3 .. -1) and values outside it.
 */
static void
test_exit_merge(void)
{
	static const int codes[] = { -3, -2, -1, 0, 1, 2, 64, 65, 66, 67, 69,
	    70, 71, 74, 75, 76, 77, 78, 79 };
	size_t i, j, n = sizeof codes / sizeof codes[0], bad = 0;
	int a, b;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			a = codes[i];
			b = codes[j];
			if (exit_merge(a, b) != (a > b ? a : b))
				bad++;
		}
	is_int(bad, 0, "exit_merge: the more serious of every pair, as by value");
	is_int(exit_merge(EX_CONFIG, EX_TEMPFAIL), EX_CONFIG,
	    "exit_merge: a configuration error outranks a busy server");
	is_int(exit_merge(EX_DATAERR, EX_OK), EX_DATAERR,
	    "exit_merge: a bad row outranks done");
	ok(exit_done(EX_OK) && exit_done(EX_DATAERR),
	    "exit_done: 0 and 65 did the run's work");
	ok(!exit_done(EX_TEMPFAIL) && !exit_done(EX_CONFIG) && !exit_done(-1) &&
	    !exit_done(EX_IOERR), "exit_done: no other status did");
	ok(strncmp(msg_exit_table(), "exit status:\n  0   done\n  64  usage error\n",
	    42) == 0, "msg_exit_table: the table, as --help prints it");
}

int
main(void)
{
	test_escape();
	test_quote();
	test_quote_roundtrip();
	test_messages();
	test_date_format_text();
	test_exit_merge();
	return done_testing();
}
