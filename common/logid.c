/*
 * logid -- see logid.h.  Moved from po-import.c (review D): the only
 * state file that was not in common/.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hotwax.h"
#include "logid.h"
#include "msg.h"
#include "spool.h"
#include "util.h"
#include "version.h"

#define VERSION_AT	160	/* where in it the version line starts */
#define MADE_AT		192	/* where in it the "made" line starts */
#define READ_MAX	1024	/* LOGID_SIZE, or an older posync's */
#define HELD_LINE	"(upload not confirmed by HotWax)"
#define TAG		"# posync logid v"
#define V		1
#define VERSION_TEXT	VERSION_LINE(TAG, V)

#if LOGID_ID_MAX >= VERSION_AT
#error "a log id and its '\n' must fit before the version line"
#endif

int
logid_id_ok(const char *s)
{
	return hotwax_good_id(s);	/* HotWax's rule, in one place */
}

/* 1 when data's version line is a later posync's: a higher number. The
 * previous release's (blanks or '\n's there) and this one's are not. */
static int
later(const char *data, size_t len)
{
	return len > VERSION_AT && version_check(data + VERSION_AT,
	    len - VERSION_AT, TAG, V, 0, NULL) == VERSION_LATER;
}

enum logid_is
logid_read(const char *path, char **id)
{
	enum logid_is k;
	char *data;
	size_t len;

	if (id)
		*id = NULL;
	if (read_file(path, READ_MAX, &data, &len) < 0) {
		if (errno == ENOENT)
			return LOGID_IS_NONE;
		msg_cannot_read(path);
		return LOGID_IS_UNREAD;
	}
	if (later(data, len)) {
		free(data);
		return LOGID_IS_LATER;
	}
	data[strcspn(data, "\n")] = 0;
	if (strncmp(data, HELD_LINE, strlen(HELD_LINE)) == 0)
		k = LOGID_IS_HELD;
	else
		k = logid_id_ok(data) ? LOGID_IS_REAL : LOGID_IS_BAD;
	if (k == LOGID_IS_REAL && id)
		*id = data;
	else
		free(data);
	return k;
}

/* "made SEC.NSEC" at p (NUL-terminated), then a blank or the line end. */
static int
parse_made(const char *p, struct timespec *t)
{
	long long sec, ns;

	if (strncmp(p, "made ", 5) != 0)
		return -1;
	p += 5;
	if (read_digits(&p, 18, &sec) < 0 || *p++ != '.' || read_digits(&p, 9, &ns) < 0 ||
	    (*p != ' ' && *p != '\n' && *p != 0) || sec <= 0)
		return -1;
	t->tv_sec = (time_t)sec;
	t->tv_nsec = (long)ns;
	return 0;
}

int
logid_made(const char *path, struct timespec *t)
{
	char *data;
	size_t len;
	int r = -1;

	if (read_file(path, READ_MAX, &data, &len) < 0)
		return -1;
	if (len == LOGID_SIZE)
		r = parse_made(data + MADE_AT, t);
	free(data);
	return r;
}

int
logid_reserve(const char *path, struct timespec made)
{
	char buf[LOGID_SIZE], *s;

	memset(buf, ' ', sizeof buf);
	memcpy(buf, HELD_LINE, strlen(HELD_LINE));
	buf[VERSION_AT - 1] = '\n';
	memcpy(buf + VERSION_AT, VERSION_TEXT, strlen(VERSION_TEXT));
	buf[MADE_AT - 1] = '\n';
	/* at most 5 + 20 + 1 + 9 bytes: room to spare before the '\n' */
	s = xasprintf("made %lld.%09ld", (long long)made.tv_sec,
	    (long)made.tv_nsec);
	memcpy(buf + MADE_AT, s, strlen(s));
	free(s);
	buf[LOGID_SIZE - 1] = '\n';
	return spool_write_atomic(path, buf, sizeof buf);
}

int
logid_fill(const char *path, const char *log_id)
{
	char buf[VERSION_AT];
	size_t n = strlen(log_id);	/* logid_id_ok: < VERSION_AT (#if) */
	struct stat st;
	int fd, ret = 0;

	memset(buf, '\n', VERSION_AT);
	memcpy(buf, log_id, n);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) < 0) {
		msg_warnerr("cannot open %s", path);
		ret = EX_IOERR;
	} else if (st.st_size != LOGID_SIZE) {
		msg_warn("%s: %lld bytes, not the %d reserved before the upload "
		    "(changed meanwhile?)", path, (long long)st.st_size,
		    LOGID_SIZE);
		ret = EX_IOERR;
	} else if (pwrite(fd, buf, VERSION_AT, 0) != (ssize_t)VERSION_AT ||
	    fsync(fd) < 0) {
		msg_warnerr("cannot write %s", path);
		ret = EX_IOERR;
	}
	if (fd >= 0 && close(fd) < 0 && !ret) {
		msg_warnerr("cannot write %s", path);
		ret = EX_IOERR;
	}
	return ret;
}

void
logid_later_said(const char *path, const char *then)
{
	version_later_said(path, NULL, NULL, VERSION_TEXT, then);
}
