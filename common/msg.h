/*
 * msg -- messages and exit statuses shared by every posync program.
 *
 * Every message starts with the program's name (set once by msg_init) and
 * goes to stderr, and to syslog when msg_syslog(1) was called.  Messages
 * are for a person to act on: each names the file, row, URL or remote path
 * at fault.  msg_info() is progress, printed only with -v.
 *
 * Exit statuses are sysexits(3), one table for the whole suite:
 *
 *   0   EX_OK           done
 *   64  EX_USAGE        bad command line
 *   65  EX_DATAERR      bad input data: some rows or files rejected, the rest done
 *   66  EX_NOINPUT      an input file named on the command line is missing or unreadable
 *   69  EX_UNAVAILABLE  the other side is unavailable: try later
 *   70  EX_SOFTWARE     internal error (a bug)
 *   71  EX_OSERR        system error: out of memory, no /dev/null
 *   74  EX_IOERR        local disk error (spool or state not writable)
 *   75  EX_TEMPFAIL     the other side or the spool is busy: try later
 *   76  EX_PROTOCOL     the other side answered nonsense
 *   77  EX_NOPERM       permission or authentication refused
 *   78  EX_CONFIG       configuration error
 */
#ifndef POSYNC_MSG_H
#define POSYNC_MSG_H

#include <stdarg.h>
#include <sysexits.h>

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

/* strerror(3), plus posync's own ENOTREG ("not a regular file"); every
 * message's error text goes through it. */
const char *msg_strerror(int e);

/* The status of a run where items ended with a and b: the more serious. */
int exit_merge(int a, int b);

/* The exit-status table above, for --help. */
extern const char msg_exit_table[];

#endif
