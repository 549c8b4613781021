/*
 * msg -- see msg.h.  One place formats every message, so each one carries
 * the right program name and nothing else prints to stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "msg.h"
#include "util.h"

const char *progname = "posync";
int verbose;
static int use_syslog;

const char msg_exit_table[] =
    "exit status:\n"
    "  0   done\n"
    "  64  usage error\n"
    "  65  bad input data: some rows or files rejected, the rest done\n"
    "  66  an input file is missing or unreadable\n"
    "  69  the other side is unavailable: try later\n"
    "  70  internal error\n"
    "  71  system error: out of memory\n"
    "  74  local disk error\n"
    "  75  busy or temporary failure: try later\n"
    "  76  the other side answered nonsense\n"
    "  77  permission or authentication refused\n"
    "  78  configuration error\n";

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

static void
emit(int prio, const char *fmt, va_list ap, const char *err)
{
	char line[4096];
	int n;

	n = vsnprintf(line, sizeof line, fmt, ap);
	if (n < 0)
		line[0] = 0;
	else if ((size_t)n >= sizeof line)	/* say that it was cut */
		memcpy(line + sizeof line - 4, "...", 4);
	if (err)
		fprintf(stderr, "%s: %s: %s\n", progname, line, err);
	else
		fprintf(stderr, "%s: %s\n", progname, line);
	if (use_syslog) {
		if (err)
			syslog(prio, "%s: %s", line, err);
		else
			syslog(prio, "%s", line);
	}
}

void
msg_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_ERR, fmt, ap, NULL);
	va_end(ap);
}

void
msg_warnerr(const char *fmt, ...)
{
	va_list ap;
	const char *err = msg_strerror(errno);

	va_start(ap, fmt);
	emit(LOG_ERR, fmt, ap, err);
	va_end(ap);
}

void
msg_info(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	emit(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
msg_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_ERR, fmt, ap, NULL);
	va_end(ap);
	exit(status);
}

void
msg_dieerr(int status, const char *fmt, ...)
{
	va_list ap;
	const char *err = msg_strerror(errno);

	va_start(ap, fmt);
	emit(LOG_ERR, fmt, ap, err);
	va_end(ap);
	exit(status);
}

const char *
msg_strerror(int e)
{
	return e == ENOTREG ? "not a regular file" : strerror(e);
}

/* sysexits grow with seriousness, near enough: a configuration or
 * permission problem outranks a busy server, which outranks a bad row. */
int
exit_merge(int a, int b)
{
	return a > b ? a : b;
}
