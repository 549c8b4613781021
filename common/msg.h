/*
 * msg -- messages and exit statuses shared by every posync program.
 *
 * Every message starts with the program's name (set once by msg_init) and
 * goes to stderr, and to syslog when msg_syslog(1) was called.  Messages
 * are for a person to act on: each names the file, row, URL or remote path
 * at fault.  msg_info() is progress, printed only with -v.
 *
 * Two promises hold for every message, whatever it quotes:
 *  - it is one line, and no control byte reaches the terminal or the log:
 *    the whole formatted text goes through esc_mem (below);
 *  - stderr and syslog are bounded per run: at most MSG_SHOWN messages
 *    from one msg_warn/msg_warnerr call site, the rest counted and summed
 *    up at exit ("N more like: ...").  msg_info and msg_die always print.
 *
 * A format is always a literal in posync's source (the build has
 * -Wformat-nonliteral): outside text goes in through "%s", never as fmt.
 *
 * Exit statuses are sysexits(3), one table for the whole suite: exits[]
 * in msg.c (code, name, the words --help prints, rank).  exit_merge ranks
 * by it, msg_exit_table is printed from it, and the man pages' EXIT
 * STATUS and README's table list the same codes (tests/6003-docs.t).
 */
#ifndef POSYNC_MSG_H
#define POSYNC_MSG_H

#include <stdarg.h>
#include <stddef.h>
#include <sysexits.h>

struct buf;

#define MSG_SHOWN	20	/* messages of one kind shown per run */

extern const char *progname;
extern int verbose;

void msg_init(const char *argv0);
void msg_syslog(int on);

/* "prog: message" */
void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: message: strerror(errno)" */
void msg_warnerr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* only with -v */
void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn, format(printf, 2, 3)))
void msg_die(int status, const char *fmt, ...);
__attribute__((noreturn, format(printf, 2, 3)))
void msg_dieerr(int status, const char *fmt, ...);

/*
 * The escaping every message gets, for any other text a person reads
 * (the .err files in the spool).  Printable ASCII and valid UTF-8 stay as
 * they are; \n \r \t become those two characters; every other C0 byte,
 * DEL, byte that is not UTF-8, C1 control (U+0080-U+009F, raw or
 * UTF-8) and bidirectional override becomes \xHH per byte.  A backslash
 * stays as it is: the aim is that nothing steers a terminal or forges a
 * line, not that the text can be decoded back.
 *
 * esc_mem: s[0..n) into dst (size bytes, always NUL-terminated), whole
 *   escapes only; returns how many bytes of s it took.
 * esc_add: s[0..n) appended to b.
 * esc_linef: one line, formatted, escaped and ended by '\n', appended to b.
 */
size_t esc_mem(char *dst, size_t size, const char *s, size_t n);
void esc_add(struct buf *b, const char *s, size_t n);
void esc_linef(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * msg_quote: outside text named inside a message ("cannot open %s", a
 * file name, an id, a value from a row or a reply), malloc'd: s[0..n) in
 * double quotes, escaped by the rule above, with '"' and a backslash
 * written \" and \\ as well, so the value ends only at its closing quote
 * and a value holding '" and more' cannot pass for the message's own
 * words.  A value whose escaped form is longer than MSG_QUOTE_MAX bytes is
 * cut at a whole character or escape and "..." follows the closing
 * quote: one hostile field cannot fill the 4 KiB message line (seven such
 * values still fit it), yet a file name of text (255 bytes) or a path of a
 * sane depth shows whole.  What msg_quote returns is left as it is by the
 * escaping every message gets, so it is never escaped twice.
 */
#define MSG_QUOTE_MAX	512
char *msg_quote(const char *s, size_t n);

/* The one wording of a failed read (read_file and the like): "cannot
 * read WHAT: strerror(errno)".  what is a path or a quoted name. */
void msg_cannot_read(const char *what);

/* strerror(3), plus posync's own ENOTREG ("not a regular file"); every
 * message's error text goes through it. */
const char *msg_strerror(int e);

/* The status of a run where items ended with a and b: the more serious,
 * by the table's rank. */
int exit_merge(int a, int b);

/* 1 when a run that ended with st did its work: 0, or 65 (some items
 * refused, the rest done); what comes after the work (pruning, tidying,
 * reporting) goes on only then. */
int exit_done(int st);

/* The exit-status table, as --help prints it. */
const char *msg_exit_table(void);

#endif
