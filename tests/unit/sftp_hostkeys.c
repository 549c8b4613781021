/*
 * sftp_hostkeys.c -- sftp_open against a server with several host keys
 * (tests/0203-sftp-hostkeys.t starts it and writes the cases), one
 * known_hosts per case.
 *
 * $T_CASES holds one case a line, fields separated by tabs:
 *   STATUS  KNOWN_HOSTS  DESCRIPTION  [NEEDLE...]
 * STATUS is what sftp_open must return; each NEEDLE must occur in what it
 * printed (with -v), where "a|b" means a or b, a trailing '$' means at
 * the end of a line, and a leading '!' means it must not occur.  The expected statuses, fingerprints and key types are
 * the wrapper's, from ssh-keygen: never from the module under test.  After
 * a successful open the test folder is listed and must show the marker
 * file the wrapper put there, with its size as this host sees it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "msg.h"
#include "sftp.h"
#include "tap.h"
#include "testutil.h"
#include "util.h"


static const char *
env(const char *name)
{
	return need_env(name, "tests/0203-sftp-hostkeys.t");
}

/* sftp_open with its stderr kept in a string (shown when a check fails). */
static int
open_captured(const struct config *c, struct sftp **s, char **out)
{
	int r;

	cap_begin();
	r = sftp_open(c, s);
	*out = cap_end();
	return r;
}

/* One alternative of a needle: "text" anywhere, or "text$" at a line's end. */
static int
has_alt(const char *hay, const char *alt, size_t len)
{
	const char *p;
	char *want;
	int eol = len > 0 && alt[len - 1] == '$', found = 0;

	want = xstrndup(alt, eol ? len - 1 : len);
	for (p = hay; (p = strstr(p, want)); p++) {
		const char *end = p + strlen(want);

		if (!eol || *end == '\n' || *end == 0) {
			found = 1;
			break;
		}
	}
	free(want);
	return found;
}

static int
matches(const char *hay, const char *needle)
{
	const char *p = needle, *bar;

	for (;;) {
		bar = strchr(p, '|');
		if (has_alt(hay, p, bar ? (size_t)(bar - p) : strlen(p)))
			return 1;
		if (!bar)
			return 0;
		p = bar + 1;
	}
}

static void
check_listing(struct sftp *s, const char *desc)
{
	const char *dir = env("T_REMOTE"), *marker = env("T_MARKER");
	char *hpath = xasprintf("%s/%s", dir, marker);	/* no chroot */
	struct sftp_entry *e = NULL;
	struct stat st;
	size_t n = 0, i;
	int r, found = 0;

	if (stat(hpath, &st) < 0)
		printf("Bail out! %s: %s\n", hpath, strerror(errno));
	r = sftp_list(s, dir, &e, &n);
	for (i = 0; i < n; i++)
		if (strcmp(e[i].name, marker) == 0 && e[i].is_reg &&
		    e[i].size == (uint64_t)st.st_size)
			found++;
	ok(r == 0 && found == 1, "%s: ... and the listing shows %s, %lld bytes "
	    "(status %d, %zu entries)", desc, marker, (long long)st.st_size, r, n);
	sftp_entries_free(e, n);
	free(hpath);
}

static void
run_case(struct config *c, char *line)
{
	char *f[16], *p, *msg;
	struct sftp *s = NULL;
	int nf = 0, want, r, i;

	for (p = line; nf < 16; ) {
		f[nf++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = 0;
	}
	if (nf < 3) {
		printf("Bail out! bad case line: %s\n", line);
		exit(1);
	}
	want = atoi(f[0]);
	free(c->sftp.known_hosts);
	c->sftp.known_hosts = xstrdup(f[1]);
	r = open_captured(c, &s, &msg);
	if (!ok(r == want, "%s: sftp_open returns %d", f[2], want)) {
		printf("#   got %d; it said:\n", r);
		for (p = strtok(msg, "\n"); p; p = strtok(NULL, "\n"))
			printf("#     %s\n", p);
		free(msg);
		sftp_close(s);
		return;
	}
	for (i = 3; i < nf; i++) {
		int neg = f[i][0] == '!';

		if (!ok(matches(msg, f[i] + neg) != neg, "%s: ... %s %s", f[2],
		    neg ? "not saying" : "saying", f[i] + neg))
			printf("#   it said: %s\n", msg);
	}
	if (want == 0)
		check_listing(s, f[2]);
	else
		ok(s == NULL, "%s: ... and gives no session", f[2]);
	free(msg);
	sftp_close(s);
}

int
main(void)
{
	struct config c;
	char *cases, *line, *next;
	size_t len;

	msg_init("sftp-hostkeys-test");
	verbose = 1;		/* msg_info names the host key algorithms offered */
	scratch_init("unit-sftp-hostkeys");
	if (config_load(&c, env("POSYNC_CONFIG")) != 0) {
		printf("Bail out! config_load failed\n");
		return 1;
	}
	if (read_file(env("T_CASES"), 1 << 20, &cases, &len) < 0) {
		printf("Bail out! cannot read %s\n", env("T_CASES"));
		return 1;
	}
	for (line = cases; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (*line && *line != '#')
			run_case(&c, line);
	}
	free(cases);
	config_free(&c);
	scratch_remove();
	return done_testing();
}
