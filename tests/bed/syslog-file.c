/*
 * tests/bed/syslog-file.c -- preloaded into the bed's sshd (sshd.sh,
 * SSHD_SFTP_LOG): every syslog(3) line of the process and its children
 * goes to the file $SYSLOG_FILE named when sshd started, not to
 * /dev/log.  For internal-sftp's request log (-l VERBOSE): internal-sftp
 * runs inside sshd and logs only through syslog (or -e, to the client),
 * and a program of its own (sftp-server) would be run through the login
 * shell, which make check's ordinary user has none of (nologin).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void syslog(int, const char *, ...);
void __syslog_chk(int, int, const char *, ...);

static char *path;	/* read before sshd's children change environ */
static FILE *f;

__attribute__((constructor)) static void
logpath(void)
{
	const char *p = getenv("SYSLOG_FILE");

	if (p != NULL)
		path = strdup(p);
}

static void
put(const char *fmt, va_list ap)
{
	if (f == NULL && path != NULL)
		f = fopen(path, "a");
	if (f == NULL)
		return;
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
}

void
syslog(int pri, const char *fmt, ...)
{
	va_list ap;

	(void)pri;
	va_start(ap, fmt);
	put(fmt, ap);
	va_end(ap);
}

void
__syslog_chk(int pri, int flag, const char *fmt, ...)
{
	va_list ap;

	(void)pri;
	(void)flag;
	va_start(ap, fmt);
	put(fmt, ap);
	va_end(ap);
}
