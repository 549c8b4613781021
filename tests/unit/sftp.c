/*
 * sftp.c -- common/sftp.c against the real sshd that tests/0201-sftp.t
 * started.  Expected values come from the server's files as this host
 * sees them (the bed's sshd has no chroot: the same paths), from files
 * this test writes there itself, or from ssh-keygen and sha256sum: never
 * from the module being tested.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include "config.h"
#include "msg.h"
#include "sftp.h"
#include "tap.h"
#include "testutil.h"
#include "util.h"

static const char *rdir;		/* the remote test folder */

static const char *
env(const char *name)
{
	return need_env(name, "tests/0201-sftp.t");
}

/* stderr into a file while a call runs, so the test can read it. */
static void
capture(void)
{
	cap_begin();
}

static char *
captured(void)
{
	char *data = cap_end();

	fputs(data, stderr);	/* still shown, for whoever reads the log */
	return data;
}

/* A remote path as this host sees it: the same path, no chroot. */
static char *
host(const char *remote)
{
	return xstrdup(remote);
}

static char *
rpath(const char *name)
{
	return xasprintf("%s/%s", rdir, name);
}

static void
write_host(const char *path, size_t n, char fill, time_t mtime)
{
	struct utimbuf ut = {mtime, mtime};
	char *buf = xmalloc(n);
	int fd;

	memset(buf, fill, n);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, buf, n) < 0 || close(fd) < 0)
		printf("Bail out! cannot write %s: %s\n", path, strerror(errno));
	free(buf);
	utime(path, &ut);
}

static int
same_files(const char *a, const char *b)
{
	char *da, *db;
	size_t la, lb;
	int same;

	if (read_file(a, 64 << 20, &da, &la) < 0)
		return 0;
	if (read_file(b, 64 << 20, &db, &lb) < 0) {
		free(da);
		return 0;
	}
	same = la == lb && memcmp(da, db, la) == 0;
	free(da);
	free(db);
	return same;
}

static char *
sha256(const char *path)
{
	char *cmd = xasprintf("sha256sum '%s'", path), line[200] = "";
	FILE *p = popen(cmd, "r");

	free(cmd);
	if (p) {
		if (!fgets(line, sizeof line, p))
			line[0] = 0;
		pclose(p);
	}
	line[strcspn(line, " \n")] = 0;
	return xstrdup(line);
}

static int
count_in_file(const char *path, const char *needle)
{
	char *d, *p;
	size_t len;
	int n = 0;

	if (read_file(path, 64 << 20, &d, &len) < 0)
		return -1;
	for (p = d; (p = strstr(p, needle)); p++)
		n++;
	free(d);
	return n;
}

static void
set_str(char **p, const char *v)
{
	free(*p);
	*p = xstrdup(v);
}

static int
tmpfile_fd(char *tmpl)
{
	int fd = mkstemp(tmpl);

	if (fd < 0)
		printf("Bail out! mkstemp: %s\n", strerror(errno));
	return fd;
}

/* ------------------------------------------------------------- tests */

static const char *const odd[] = {
	"a b", "c:d", "(e)", "-f", "g\nh",
	"Fri Nov 27 2026 08:15:00 GMT-0800 (Pacific Standard Time)-PurchaseOrder.csv",
};
#define NODD (sizeof odd / sizeof odd[0])

static void
test_list(struct sftp *s)
{
	char *dir = rpath("list"), *hdir = host(dir), *p;
	struct sftp_entry *e;
	size_t n, i, j;
	int found[NODD] = {0}, good_size = 1, good_mtime = 1, good_type = 1, extra = 0;

	mkdir(hdir, 0755);
	for (i = 0; i < NODD; i++) {
		p = path_join(hdir, odd[i]);
		write_host(p, 100 + i * 7, 'x', 1700000000 + (time_t)i * 3600);
		free(p);
	}
	p = path_join(hdir, "sub");
	mkdir(p, 0755);
	free(p);

	is_int(sftp_list(s, dir, &e, &n), 0, "list a folder of odd names");
	is_int(n, NODD + 1, "every entry but . and ..");
	for (j = 0; j < n; j++) {
		for (i = 0; i < NODD; i++)
			if (strcmp(e[j].name, odd[i]) == 0)
				break;
		if (i == NODD) {
			if (strcmp(e[j].name, "sub") == 0) {
				ok(e[j].is_dir && !e[j].is_reg, "sub is a folder");
				continue;
			}
			extra++;
			continue;
		}
		found[i]++;
		good_size &= e[j].size == 100 + i * 7;
		good_mtime &= e[j].mtime == 1700000000 + (time_t)i * 3600;
		good_type &= e[j].is_reg && !e[j].is_dir;
	}
	for (i = 0; i < NODD; i++)
		is_int(found[i], 1, "listed once: name %zu (spaces, colons, parentheses, '-', newline)", i);
	is_int(extra, 0, "no other names");
	ok(good_size, "sizes right");
	ok(good_mtime, "mtimes right");
	ok(good_type, "regular files");
	sftp_entries_free(e, n);

	p = rpath("no-such-folder");
	capture();
	ok(sftp_list(s, p, &e, &n) != 0, "listing a missing folder fails");
	free(captured());
	is_int(n, 0, "... with no entries");
	free(p);
	free(dir);
	free(hdir);
}

static void
test_transfers(struct sftp *s, const char *big)
{
	char tmpl[] = "/tmp/posync-sftp-get.XXXXXX";
	char *rbig = rpath("big.bin"), *rup = rpath("up.bin"), *hup = host(rup);
	char *sum, *msg;
	struct sftp_entry st;
	struct stat lst;
	uint64_t got = 0;
	int fd;

	stat(big, &lst);
	fd = tmpfile_fd(tmpl);
	is_int(sftp_get(s, rbig, fd, 100 << 20, &got), 0, "get a 5 MB file");
	close(fd);
	is_int(got, lst.st_size, "got counts every byte");
	ok(same_files(big, tmpl), "the local copy is byte-exact");
	sum = sha256(tmpl);
	is_str(sum, env("T_BIG_SHA"), "... and has the known hash");
	free(sum);

	fd = open(tmpl, O_WRONLY | O_TRUNC);
	capture();
	is_int(sftp_get(s, rbig, fd, 1000, &got), EX_DATAERR, "get refuses more than max");
	msg = captured();
	ok(strstr(msg, "big.bin") != NULL, "... naming the remote file");
	free(msg);
	close(fd);
	unlink(tmpl);

	fd = open(big, O_RDONLY);
	lseek(fd, 12345, SEEK_SET);		/* put starts at 0 whatever the offset */
	is_int(sftp_put(s, fd, rup), 0, "put a 5 MB file");
	close(fd);
	ok(same_files(big, hup), "the server's copy is byte-exact");
	sum = sha256(hup);
	is_str(sum, env("T_BIG_SHA"), "... and has the known hash");
	free(sum);
	is_int(sftp_stat(s, rup, &st), 0, "stat the uploaded file");
	is_int(st.size, lst.st_size, "... its size");
	ok(st.is_reg, "... a regular file");

	fd = open(tmpl, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	capture();
	free(rbig);
	rbig = rpath("missing.bin");
	is_int(sftp_get(s, rbig, fd, 100, &got), SFTP_MISSING,
	    "get of a missing file: SFTP_MISSING (gone since the listing)");
	msg = captured();
	is_str(msg, "", "... said by the caller, not by sftp");
	free(msg);
	close(fd);
	unlink(tmpl);
	free(rbig);
	free(rup);
	free(hup);
}

/* Batches (sftp.h): 20 small files read with requests in flight, one of
 * them missing, then looked at and renamed together, one name taken. */
#define NMANY 20
static void
test_many(struct sftp *s)
{
	struct sftp_req r[NMANY];
	char *rp[NMANY], *hp[NMANY], *to[NMANY], tmpl[NMANY][64], name[32];
	int fd[NMANY], i, bad = 0;
	char *msg, buf[64];

	for (i = 0; i < NMANY; i++) {
		snprintf(name, sizeof name, "many-%d", i);
		rp[i] = rpath(name);
		hp[i] = host(rp[i]);
		snprintf(name, sizeof name, "many-%d.moved", i);
		to[i] = rpath(name);
		if (i != 7)
			write_host(hp[i], (size_t)(10 + i), (char)('a' + i), 1700000000 + i);
		snprintf(tmpl[i], sizeof tmpl[i], "many-XXXXXX");
		fd[i] = tmpfile_fd(tmpl[i]);
		memset(&r[i], 0, sizeof r[i]);
		r[i].path = rp[i];
		r[i].size = (uint64_t)(10 + i);
		r[i].fd = fd[i];
	}
	capture();
	is_int(sftp_fetch_many(s, r, NMANY, 1000), 0, "fetch_many of 20 files");
	msg = captured();
	is_str(msg, "", "... nothing said");
	free(msg);
	is_int(r[7].st, SFTP_MISSING, "... the missing one: SFTP_MISSING");
	for (i = 0; i < NMANY; i++) {
		if (i == 7)
			continue;
		memset(buf, 0, sizeof buf);
		if (r[i].st != 0 || r[i].got != (uint64_t)(10 + i) ||
		    r[i].now.size != (uint64_t)(10 + i) ||
		    r[i].now.mtime != 1700000000 + i ||
		    pread(fd[i], buf, sizeof buf, 0) != 10 + i || buf[0] != 'a' + i)
			bad++;
	}
	is_int(bad, 0, "... every other one read whole, with its look after");
	msg = host(to[3]);
	write_host(msg, 1, 'z', 1700000000);
	free(msg);
	for (i = 0; i < NMANY; i++)
		r[i].to = to[i];
	is_int(sftp_rename_many(s, r, NMANY), 0, "rename_many of 20 files");
	is_int(r[3].st, SFTP_RETRY, "... a name taken: SFTP_RETRY");
	is_int(r[7].st, SFTP_RETRY, "... a file missing: SFTP_RETRY");
	for (i = bad = 0; i < NMANY; i++)
		if (i != 3 && i != 7 && (r[i].st != 0 || exists(hp[i])))
			bad++;
	is_int(bad, 0, "... every other one moved");
	for (i = 0; i < NMANY; i++)
		r[i].path = to[i];
	is_int(sftp_stat_many(s, r, NMANY), 0, "stat_many of the new names");
	is_int(r[3].st, 0, "... the one in the way is there");
	is_int(r[3].now.size, 1, "... as it was");
	is_int(r[7].st, SFTP_MISSING, "... the missing one: SFTP_MISSING");
	is_int(r[12].now.size, 22, "... a moved one with its size");
	for (i = 0; i < NMANY; i++) {
		close(fd[i]);
		unlink(tmpl[i]);
		free(rp[i]);
		free(hp[i]);
		free(to[i]);
	}
}

static void
test_folder_ops(struct sftp *s)
{
	char *a = rpath("ren-a"), *b = rpath("ren-b"), *c = rpath("ren-c");
	char *ha = host(a), *hb = host(b), *hc = host(c);
	char *d = rpath("x/y/z"), *hd = host(d), *f = rpath("x/y/z/file");
	char *hf = host(f), *fz = rpath("x/y/z/file/w"), *msg, *nf;
	struct sftp_entry st;

	write_host(ha, 10, 'a', 1700000000);
	write_host(hc, 20, 'c', 1700000000);
	is_int(sftp_rename(s, a, b), 0, "rename");
	ok(!exists(ha) && exists(hb), "... moved");
	capture();
	is_int(sftp_rename(s, c, b), EX_CANTCREAT, "rename onto an existing name is refused");
	msg = captured();
	ok(strstr(msg, "ren-b") != NULL, "... naming the target");
	free(msg);
	is_int(sftp_stat(s, b, &st), 0, "the target is still there");
	is_int(st.size, 10, "... unchanged");
	ok(exists(hc), "... and so is the source");
	capture();
	is_int(sftp_rename(s, a, c), SFTP_MISSING, "renaming a missing file: SFTP_MISSING");
	msg = captured();
	is_str(msg, "", "... nothing said");
	free(msg);
	capture();
	nf = rpath("no/such/folder/c");
	is_int(sftp_rename(s, c, nf), EX_CONFIG,
	    "renaming into a missing folder: EX_CONFIG, not EX_UNAVAILABLE");
	free(nf);
	msg = captured();
	ok(strstr(msg, "ren-c") && strstr(msg, "no/such/folder/c") &&
	    strstr(msg, "no such file"), "... naming both paths and the cause");
	free(msg);
	ok(exists(hc), "... the source stays");

	is_int(sftp_stat(s, a, &st), SFTP_MISSING, "stat of a missing file: SFTP_MISSING");
	is_int(sftp_stat(s, c, &st), 0, "stat of a file");
	is_int(st.size, 20, "... its size");

	is_int(sftp_mkdir_p(s, d), 0, "mkdir_p makes three levels");
	ok(exists(hd), "... they exist");
	is_int(sftp_mkdir_p(s, d), 0, "mkdir_p again is fine");
	write_host(hf, 1, 'f', 1700000000);
	capture();
	is_int(sftp_mkdir_p(s, fz), EX_CONFIG, "mkdir_p through a file: EX_CONFIG");
	msg = captured();
	ok(strstr(msg, "x/y/z/file") && !strstr(msg, "file/w") &&
	    strstr(msg, "not a folder"), "... naming the file in the way");
	free(msg);
	capture();
	is_int(sftp_mkdir_p(s, f), EX_CONFIG, "mkdir_p of a file: EX_CONFIG");
	free(captured());
	capture();
	{
		struct sftp_entry *v;
		size_t nv;

		nf = rpath("no/such/folder");
		is_int(sftp_list(s, nf, &v, &nv), EX_CONFIG,
		    "listing a missing folder: EX_CONFIG, not EX_UNAVAILABLE");
		free(nf);
	}
	msg = captured();
	ok(strstr(msg, "no/such/folder") && strstr(msg, "no such file"),
	    "... naming it and the cause");
	free(msg);

	is_int(sftp_remove(s, c), 0, "remove");
	ok(!exists(hc), "... gone");
	capture();
	ok(sftp_remove(s, c) != 0, "removing a missing file fails");
	msg = captured();
	ok(strstr(msg, "ren-c") != NULL, "... naming it");
	free(msg);
	free(a); free(b); free(c); free(ha); free(hb); free(hc);
	free(d); free(hd); free(f); free(hf); free(fz);
}

static void
test_host_keys(struct config *c)
{
	const char *log = env("SSHD_LOG"), *fp = env("T_HOST_FP");
	struct sftp *s = NULL;
	char *kh = xstrdup(c->sftp.known_hosts), *msg;
	int before, st;

	before = count_in_file(log, "Accepted publickey");
	ok(before > 0, "sshd logs accepted keys (%d so far): the check below can fail", before);
	set_str(&c->sftp.known_hosts, env("T_WRONG_KH"));
	capture();
	st = sftp_open(c, &s);
	msg = captured();
	is_int(st, EX_NOPERM, "a changed host key is refused");
	ok(s == NULL, "... no session");
	ok(strstr(msg, fp) != NULL, "... the message gives the server's %s", fp);
	ok(strstr(msg, "SHA256:") && strstr(msg, "ssh-keyscan -p"),
	    "... and the ssh-keyscan line");
	free(msg);

	set_str(&c->sftp.known_hosts, env("T_EMPTY_KH"));
	capture();
	st = sftp_open(c, &s);
	msg = captured();
	is_int(st, EX_NOPERM, "an unknown host is refused");
	ok(strstr(msg, fp) && strstr(msg, "ssh-keyscan"), "... with fingerprint and ssh-keyscan");
	free(msg);
	usleep(200000);		/* sshd writes its log asynchronously */
	is_int(count_in_file(log, "Accepted publickey"), before,
	    "no credentials were offered to an untrusted server");
	set_str(&c->sftp.known_hosts, "/nonexistent/known_hosts");
	capture();
	st = sftp_open(c, &s);
	free(captured());
	is_int(st, EX_CONFIG, "a missing known_hosts is a configuration error");
	set_str(&c->sftp.known_hosts, kh);
	free(kh);
}

static void
test_faults(struct config *c, const char *big)
{
	struct sftp *s = NULL;
	char tmpl[] = "/tmp/posync-sftp-cut.XXXXXX";
	char *rbig = rpath("big.bin"), *rcut = rpath("cut.bin"), *msg;
	struct sftp_entry st;
	uint64_t got = 0;
	int port = c->sftp.port, timeout = c->sftp.timeout, fd, r;

	c->sftp.port = atoi(env("T_SILENT_PORT"));
	c->sftp.timeout = 2;
	capture();
	r = sftp_open(c, &s);
	msg = captured();
	is_int(r, EX_UNAVAILABLE, "a server that never speaks: sftp_open returns EX_UNAVAILABLE");
	ok(strstr(msg, "timeout") != NULL, "... saying it timed out");
	free(msg);
	c->sftp.timeout = timeout;

	/* The known_hosts names the real port; the proxies listen elsewhere. */
	c->sftp.port = atoi(env("T_CUT_PORT"));
	{
		char *kh = xasprintf("%s/kh-cut", getenv("SCRATCH") ? getenv("SCRATCH") : "/tmp");
		char *cmd = xasprintf("sed 's/^\\[127.0.0.1\\]:[0-9]*/[127.0.0.1]:%d/' '%s' >'%s'",
		    c->sftp.port, c->sftp.known_hosts, kh);
		char *kh2 = xasprintf("%s/kh-cutup", getenv("SCRATCH") ? getenv("SCRATCH") : "/tmp");
		char *cmd2 = xasprintf("sed 's/^\\[127.0.0.1\\]:[0-9]*/[127.0.0.1]:%s/' '%s' >'%s'",
		    env("T_CUTUP_PORT"), c->sftp.known_hosts, kh2);
		char *orig = xstrdup(c->sftp.known_hosts);

		if (system(cmd) != 0 || system(cmd2) != 0)
			printf("Bail out! cannot write %s\n", kh);
		set_str(&c->sftp.known_hosts, kh);
		r = sftp_open(c, &s);
		is_int(r, 0, "connect through a proxy that cuts after 1 MB");
		if (r == 0) {
			fd = tmpfile_fd(tmpl);
			capture();
			r = sftp_get(s, rbig, fd, 100 << 20, &got);
			msg = captured();
			ok(r != 0, "a download cut short fails (status %d)", r);
			ok(got < 5000000, "... having got %llu bytes, not all", (unsigned long long)got);
			ok(strstr(msg, "big.bin") != NULL, "... naming the file");
			free(msg);
			capture();
			ok(sftp_stat(s, rbig, &st) == EX_UNAVAILABLE,
			    "later calls on the lost connection fail at once");
			free(captured());
			close(fd);
			unlink(tmpl);
			sftp_close(s);
		}

		c->sftp.port = atoi(env("T_CUTUP_PORT"));
		set_str(&c->sftp.known_hosts, kh2);
		r = sftp_open(c, &s);
		is_int(r, 0, "connect through a proxy that cuts uploads after 1 MB");
		if (r == 0) {
			fd = open(big, O_RDONLY);
			capture();
			r = sftp_put(s, fd, rcut);
			free(captured());
			ok(r != 0, "an upload cut short fails (status %d)", r);
			close(fd);
			sftp_close(s);
		}
		set_str(&c->sftp.known_hosts, orig);
		free(orig);
		free(kh);
		free(kh2);
		free(cmd);
		free(cmd2);
	}
	c->sftp.port = port;
	free(rbig);
	free(rcut);
}

int
main(void)
{
	struct config c;
	struct sftp *s = NULL;
	const char *big;
	int r;

	msg_init("sftp-test");
	rdir = env("T_REMOTE");
	big = env("T_BIG");
	scratch_init("unit-sftp");
	if (config_load(&c, env("POSYNC_CONFIG")) != 0) {
		printf("Bail out! config_load failed\n");
		return 1;
	}
	r = sftp_open(&c, &s);
	is_int(r, 0, "sftp_open with the key in the config");
	if (r == 0) {
		test_list(s);
		test_transfers(s, big);
		test_folder_ops(s);
		test_many(s);
		sftp_close(s);
	}
	test_host_keys(&c);
	test_faults(&c, big);
	config_free(&c);
	scratch_remove();
	return done_testing();
}
