/*
 * Unit tests for common/config.c: every key read, defaults, inline
 * comments, every kind of bad line with its FILE:LINE, and the secret
 * files' permission checks.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "testutil.h"
#include "config.h"
#include "msg.h"
#include "util.h"

/* A full configuration: every key set, with comments, a BOM, CRLF. */
static char *
good_conf(void)
{
	return xasprintf(
	    "\xEF\xBB\xBF; a full configuration, every key set\n"
	    "[sftp]\n"
	    "host = sftp.test   ; inline comment\n"
	    "port = 2222\n"
	    "user = nsuser\n"
	    "identity_file = /k/id_ed25519\n"
	    "known_hosts = /k/known_hosts\r\n"
	    "password_file = /k/sftp.pw\n"
	    "  timeout = 7    ; indented: still a key, not a continuation\n"
	    "\n"
	    "# hash comment\n"
	    "[netsuite]\n"
	    "po_dir = /ns/po\n"
	    "po_archive_dir = /ns/po/arch\n"
	    "po_error_dir = /ns/po/err\n"
	    "po_pattern = *-PurchaseOrder.csv\n"
	    "po_min_age = 0\n"
	    "po_max_size = 5000\n"
	    "arrival_date_format = YYYY-MM-DD\n"
	    "receipt_dir = /ns/r\n"
	    "receipt_archive_dir = /ns/r/arch\n"
	    "receipt_error_dir = /ns/r/err\n"
	    "receipt_staging_dir = /ns/r-stage\n"
	    "receipt_stale_after = 120\n"
	    "receipt_prefix = Acme_Co\n"
	    "[hotwax]\n"
	    "base_url = https://h.test:8443/api\n"
	    "token_file = /k/token\n"
	    "username = bob\n"
	    "password_file = /k/hw.pw\n"
	    "ca_file = /k/ca.pem\n"
	    "config_id = IMP_PO2\n"
	    "batch_size = 17\n"
	    "timeout = 9\n"
	    "retries = 0\n"
	    "receipt_overlap = 33\n"
	    "log_wait = 4\n"
	    "allow_http = On\n"
	    "[spool]\n"
	    "dir = %s/spool\n"
	    "keep_days = 3\n"
	    "syslog = true\n", scratch);
}

static void
test_good(void)
{
	struct config c;
	char *f = scratch_path("good.conf"), *text = good_conf();
	char *err;
	int r;

	put_file(f, text, 0644);
	cap_begin();
	r = config_load(&c, f);
	err = cap_end();
	is_int(r, 0, "a good file loads");
	is_str(err, "", "and says nothing");
	is_str(c.path, f, "path");
	is_str(c.sftp.host, "sftp.test", "sftp.host, inline comment cut");
	is_int(c.sftp.port, 2222, "sftp.port");
	is_str(c.sftp.user, "nsuser", "sftp.user");
	is_str(c.sftp.identity_file, "/k/id_ed25519", "sftp.identity_file");
	is_str(c.sftp.known_hosts, "/k/known_hosts", "sftp.known_hosts (CRLF line)");
	is_str(c.sftp.password_file, "/k/sftp.pw", "sftp.password_file");
	is_int(c.sftp.timeout, 7, "sftp.timeout (indented line)");
	is_str(c.netsuite.po_dir, "/ns/po", "netsuite.po_dir");
	is_str(c.netsuite.po_archive_dir, "/ns/po/arch", "netsuite.po_archive_dir");
	is_str(c.netsuite.po_error_dir, "/ns/po/err", "netsuite.po_error_dir");
	is_str(c.netsuite.po_pattern, "*-PurchaseOrder.csv", "netsuite.po_pattern");
	is_int(c.netsuite.po_min_age, 0, "netsuite.po_min_age");
	is_int(c.netsuite.po_max_size, 5000, "netsuite.po_max_size");
	is_str(c.netsuite.arrival_date_format, "YYYY-MM-DD", "netsuite.arrival_date_format");
	is_str(c.netsuite.receipt_dir, "/ns/r", "netsuite.receipt_dir");
	is_str(c.netsuite.receipt_archive_dir, "/ns/r/arch", "netsuite.receipt_archive_dir");
	is_str(c.netsuite.receipt_error_dir, "/ns/r/err", "netsuite.receipt_error_dir");
	is_str(c.netsuite.receipt_staging_dir, "/ns/r-stage", "netsuite.receipt_staging_dir");
	is_int(c.netsuite.receipt_stale_after, 120, "netsuite.receipt_stale_after");
	is_str(c.netsuite.receipt_prefix, "Acme_Co", "netsuite.receipt_prefix");
	is_str(c.hotwax.base_url, "https://h.test:8443/api/", "hotwax.base_url gets its '/'");
	is_str(c.hotwax.token_file, "/k/token", "hotwax.token_file");
	is_str(c.hotwax.username, "bob", "hotwax.username");
	is_str(c.hotwax.password_file, "/k/hw.pw", "hotwax.password_file");
	is_str(c.hotwax.ca_file, "/k/ca.pem", "hotwax.ca_file");
	is_str(c.hotwax.config_id, "IMP_PO2", "hotwax.config_id");
	is_int(c.hotwax.batch_size, 17, "hotwax.batch_size");
	is_int(c.hotwax.timeout, 9, "hotwax.timeout");
	is_int(c.hotwax.retries, 0, "hotwax.retries");
	is_int(c.hotwax.receipt_overlap, 33, "hotwax.receipt_overlap");
	is_int(c.hotwax.log_wait, 4, "hotwax.log_wait");
	is_int(c.hotwax.allow_http, 1, "hotwax.allow_http");
	free(text);
	text = xasprintf("%s/spool", scratch);
	is_str(c.spool.dir, text, "spool.dir");
	is_int(c.spool.keep_days, 3, "spool.keep_days");
	is_int(c.spool.syslog, 1, "spool.syslog");
	config_free(&c);
	free(text);
	free(err);
	free(f);
}

static void
test_defaults(void)
{
	struct config c;
	char *f = scratch_path("min.conf"), *err;
	int r;

	put_file(f, "[hotwax]\nbase_url = http://127.0.0.1:1/api/   ; has its slash\n"
	    "identity_file_is_not_here = 1\n", 0600);
	cap_begin();
	r = config_load(&c, f);
	err = cap_end();
	is_int(r, EX_CONFIG, "a key of another section is unknown");
	has(err, "min.conf:3: unknown key \"identity_file_is_not_here\" in [hotwax]",
	    "  and named with its line");
	config_free(&c);
	free(err);

	put_file(f, "[sftp]\nidentity_file =    ; empty: ssh-agent\n[hotwax]\n"
	    "base_url = http://127.0.0.1:1/api/\n", 0600);
	cap_begin();
	r = config_load(&c, f);
	err = cap_end();
	is_int(r, 0, "a minimal file loads");
	is_str(err, "", "and says nothing");
	ok(c.sftp.identity_file == NULL, "empty identity_file is unset");
	is_str(c.hotwax.base_url, "http://127.0.0.1:1/api/", "a '/' is not doubled");
	ok(c.sftp.host == NULL, "sftp.host: no default");
	is_int(c.sftp.port, 22, "sftp.port default 22");
	is_str(c.sftp.user, "hotwax", "sftp.user default hotwax");
	ok(c.sftp.known_hosts == NULL, "sftp.known_hosts: no default");
	ok(c.sftp.password_file == NULL, "sftp.password_file: no default");
	is_int(c.sftp.timeout, 30, "sftp.timeout default 30");
	is_str(c.netsuite.po_dir, "/home/hotwax/netsuite/purchaseorder/fulfillment", "po_dir default");
	is_str(c.netsuite.po_archive_dir, "/home/hotwax/netsuite/purchaseorder/fulfillment/archive",
	    "po_archive_dir default");
	is_str(c.netsuite.po_error_dir, "/home/hotwax/netsuite/purchaseorder/fulfillment/error",
	    "po_error_dir default");
	is_str(c.netsuite.po_pattern, "*.csv", "po_pattern default");
	is_int(c.netsuite.po_min_age, 60, "po_min_age default");
	is_int(c.netsuite.po_max_size, 104857600, "po_max_size default");
	is_str(c.netsuite.arrival_date_format, "MM/DD/YYYY", "arrival_date_format default");
	is_str(c.netsuite.receipt_dir, "/home/hotwax/netsuite/purchaseorder/receipt", "receipt_dir default");
	is_str(c.netsuite.receipt_archive_dir, "/home/hotwax/netsuite/purchaseorder/receipt/archive",
	    "receipt_archive_dir default");
	is_str(c.netsuite.receipt_error_dir, "/home/hotwax/netsuite/purchaseorder/receipt/error",
	    "receipt_error_dir default");
	is_str(c.netsuite.receipt_staging_dir, "/home/hotwax/netsuite/purchaseorder/receipt-staging",
	    "receipt_staging_dir default");
	is_int(c.netsuite.receipt_stale_after, 7200, "receipt_stale_after default");
	is_str(c.netsuite.receipt_prefix, "posync", "receipt_prefix default");
	ok(c.hotwax.token_file == NULL && c.hotwax.username == NULL &&
	    c.hotwax.password_file == NULL && c.hotwax.ca_file == NULL,
	    "hotwax credentials and ca_file: no default");
	is_str(c.hotwax.config_id, "IMP_PO", "config_id default");
	is_int(c.hotwax.batch_size, 1000, "batch_size default");
	is_int(c.hotwax.timeout, 60, "hotwax.timeout default");
	is_int(c.hotwax.retries, 5, "retries default");
	is_int(c.hotwax.receipt_overlap, 900, "receipt_overlap default");
	is_int(c.hotwax.log_wait, 60, "log_wait default");
	is_int(c.hotwax.allow_http, 0, "allow_http default off");
	is_str(c.spool.dir, "/var/spool/posync", "spool.dir default");
	is_int(c.spool.keep_days, 30, "keep_days default");
	is_int(c.spool.syslog, 0, "syslog default off");
	config_free(&c);
	free(err);

	/* $POSYNC_CONFIG when no path is given */
	put_file(f, "[spool]\nkeep_days = 9\n", 0600);
	setenv("POSYNC_CONFIG", f, 1);
	r = config_load(&c, NULL);
	is_int(r, 0, "POSYNC_CONFIG is read when no path is given");
	is_int(c.spool.keep_days, 9, "  and its value is used");
	is_str(c.path, f, "  and named as the path");
	config_free(&c);
	unsetenv("POSYNC_CONFIG");
	free(f);
}

/* One file with a bad line of every kind: each named with its FILE:LINE. */
static void
test_bad_lines(void)
{
	struct config c;
	char *f = scratch_path("bad.conf"), *text, *err, *w;
	char longv[260];
	int r;

	memset(longv, 'x', sizeof longv - 1);
	longv[sizeof longv - 1] = 0;
	text = xasprintf(
	    "[sftp]\n"			/* 1 */
	    "port = abc\n"		/* 2 not a number */
	    "port = 70000\n"		/* 3 out of range */
	    "timeout = 0\n"		/* 4 out of range */
	    "bogus = 1\n"		/* 5 unknown key */
	    "[nosuch]\n"		/* 6 unknown section */
	    "whatever = 1\n"		/* 7 (in it: not reported again) */
	    "[hotwax]\n"		/* 8 */
	    "retries = 21\n"		/* 9 out of range */
	    "batch_size = 0\n"		/* 10 out of range */
	    "allow_http = may\"be\n"	/* 11 bad boolean, quoted by msg_quote */
	    "this line has no equals sign\n"	/* 12 inih cannot parse */
	    "[spool\n"			/* 13 no ']' */
	    "[spool]\n"			/* 14 */
	    "syslog = yes\n"		/* 15 fine */
	    "dir =\n"			/* 16 must not be empty */
	    "dir = %s\n"		/* 17 too long for inih */
	    "keep_days = 12abc\n"	/* 18 not a number */
	    "keep_days = 99999999999999999999\n"	/* 19 out of range */
	    "[netsuite]\n"		/* 20 */
	    "receipt_prefix = a/\"b\\\n",	/* 21 not a name, quoted by msg_quote */
	    longv);
	put_file(f, text, 0600);
	cap_begin();
	r = config_load(&c, f);
	err = cap_end();
	is_int(r, EX_CONFIG, "a bad file is EX_CONFIG");
#define LINE(n, what) do { w = xasprintf("%s:%d: %s", f, n, what); \
	has(err, w, "line " #n ": " what); free(w); } while (0)
	LINE(2, "[sftp] port: \"abc\" is not a number");
	LINE(3, "[sftp] port: 70000 is out of range (1..65535)");
	LINE(4, "[sftp] timeout: 0 is out of range (1..3600)");
	LINE(5, "unknown key \"bogus\" in [sftp]");
	LINE(6, "unknown section [nosuch]");
	LINE(9, "[hotwax] retries: 21 is out of range (0..20)");
	LINE(10, "[hotwax] batch_size: 0 is out of range (1..100000)");
	LINE(11, "[hotwax] allow_http: \"may\\\"be\" is not a boolean");
	LINE(12, "expected \"key = value\"");
	LINE(13, "section line without ']'");
	LINE(16, "[spool] dir must not be empty");
	LINE(17, "line longer than");
	LINE(18, "[spool] keep_days: \"12abc\" is not a number");
	LINE(19, "[spool] keep_days: 99999999999999999999 is out of range");
	LINE(21, "[netsuite] receipt_prefix: \"a/\\\"b\\\\\" must be");
#undef LINE
	w = xasprintf("%s:7:", f);
	ok(strstr(err, w) == NULL, "a key in an unknown section is not reported again");
	free(w);
	w = xasprintf("%s:15:", f);
	ok(strstr(err, w) == NULL, "a good line between bad ones is not reported");
	free(w);
	if (!ok(count_lines(err) == 15, "one message per bad line, 15 in all"))
		diag_text("stderr", err);
	is_int(c.spool.syslog, 1, "good lines of a bad file are still read");
	config_free(&c);
	free(err);
	free(text);
	free(f);
}

/* A key before any section, a config others may write, a missing one. */
static void
test_bad_file(void)
{
	struct config c;
	char *f = scratch_path("bad.conf"), *err, *w;
	int r;

	put_file(f, "port = 22\n[sftp]\n", 0600);
	cap_begin();
	r = config_load(&c, f);
	err = cap_end();
	is_int(r, EX_CONFIG, "a key before any section");
	w = xasprintf("%s:1: key \"port\" outside a section", f);
	has(err, w, "  is named with its line");
	free(w);
	config_free(&c);
	free(err);

	put_file(f, "[spool]\n", 0664);
	cap_begin();
	r = config_load(&c, f);
	err = cap_end();
	is_int(r, EX_CONFIG, "a config writable by the group is refused");
	w = xasprintf("permissions 0664 for %s are too open", f);
	has(err, w, "  as ssh would say it");
	free(w);
	config_free(&c);
	free(err);

	put_file(f, "[spool]\n", 0644);
	r = config_load(&c, f);
	is_int(r, 0, "a config readable by all (0644) is fine: it holds no secret");
	config_free(&c);

	free(f);
	f = scratch_path("missing.conf");
	cap_begin();
	r = config_load(&c, f);
	err = cap_end();
	is_int(r, EX_CONFIG, "a missing config is EX_CONFIG");
	w = xasprintf("cannot read the configuration %s: No such file", f);
	has(err, w, "  naming the file");
	free(w);
	config_free(&c);
	free(err);
	free(f);
}

/* A secret is one line: CR, NUL, other control bytes and a second line
 * are refused, naming the file and never showing the secret. */
static void
refused_line(const char *f, const char *key, const char *data, size_t n,
    const char *desc)
{
	char *s, *err;
	int fd;

	unlink(f);
	fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, n) != (ssize_t)n)
		printf("# cannot write %s\n", f);
	if (fd >= 0)
		close(fd);
	cap_begin();
	s = config_secret(f, key);
	err = cap_end();
	ok(s == NULL, "%s", desc);
	has(err, f, "  the message names the file");
	has(err, "must be one line of text", "  and says why");
	ok(strstr(err, "T0ken") == NULL, "  and never shows the secret");
	free(err);
	free(s);
}

static void
test_secret_one_line(const char *f, const char *key)
{
	char *s, *err, *w;

	refused_line(f, key, "s3cr3t-T0ken\nsecond line\n", 25, "a second line is refused");
	refused_line(f, key, "s3cr3t\rT0ken\n", 14, "a bare CR inside is refused");
	refused_line(f, key, "s3cr3t-T0ken\r", 13, "a bare CR at the end is refused");
	refused_line(f, key, "s3cr3t-T0ken\r\r\n", 15, "CR CR LF at the end is refused");
	refused_line(f, key, "s3cr3t\0T0ken\n", 14, "a NUL byte is refused");
	refused_line(f, key, "s3cr3t\tT0ken\n", 14, "a TAB is refused");
	refused_line(f, key, "s3cr3t\x7fT0ken", 13, "DEL is refused");
	refused_line(f, key, "s3cr3t-T0ken\n\n", 14, "an empty second line is refused");

	/* not regular files: refused at once, never waited on */
	unlink(f);
	if (mkfifo(f, 0600) < 0)
		printf("# mkfifo %s failed\n", f);
	cap_begin();
	s = config_secret(f, key);
	err = cap_end();
	ok(s == NULL, "a FIFO is refused without waiting for a writer");
	w = xasprintf("cannot read %s (%s): not a regular file", f, key);
	has(err, w, "  said so, naming the file and the key");
	free(w);
	free(err);
	cap_begin();
	is_int(config_check_private(f, key), EX_CONFIG, "FIFO: check_private refuses");
	free(cap_end());
	unlink(f);
	if (mkdir(f, 0700) < 0)
		printf("# mkdir %s failed\n", f);
	cap_begin();
	s = config_secret(f, key);
	err = cap_end();
	ok(s == NULL, "a directory is refused");
	has(err, f, "  naming it");
	free(err);
	rmdir(f);
}


/* A secret others may read is refused, naming its mode, never it. */
static void
test_secret_too_open(const char *f, const char *key)
{
	char *s, *err, *w;

	put_file(f, "s3cr3t-T0ken\n", 0640);
	cap_begin();
	s = config_secret(f, key);
	err = cap_end();
	ok(s == NULL, "0640 secret refused");
	w = xasprintf("permissions 0640 for %s (%s) are too open", f, key);
	has(err, w, "  the message names the file, the key and the mode");
	free(w);
	ok(strstr(err, "s3cr3t") == NULL, "  and never the secret");
	free(err);
	free(s);
	cap_begin();
	is_int(config_check_private(f, key), EX_CONFIG, "0640: check_private refuses");
	free(cap_end());

	chmod(f, 0644);
	cap_begin();
	s = config_secret(f, key);
	err = cap_end();
	ok(s == NULL, "0644 secret refused");
	w = xasprintf("permissions 0644 for %s (%s) are too open", f, key);
	has(err, w, "  with its mode");
	free(w);
	free(err);
	cap_begin();
	is_int(config_check_private(f, "[sftp] identity_file"), EX_CONFIG,
	    "0644 key file: check_private refuses");
	err = cap_end();
	has(err, "[sftp] identity_file", "  naming the key");
	free(err);
}

/* An empty secret, an empty first line, one over 64 KiB, a missing one. */
static void
test_secret_no_line(const char *f, const char *key)
{
	char *s, *err, *w, *big;

	put_file(f, "", 0600);
	cap_begin();
	s = config_secret(f, key);
	err = cap_end();
	ok(s == NULL, "an empty secret file is refused");
	w = xasprintf("%s (%s) is empty", f, key);
	has(err, w, "  and said to be empty");
	free(w);
	free(err);
	cap_begin();
	is_int(config_check_private(f, key), EX_CONFIG, "empty: check_private refuses");
	free(cap_end());

	put_file(f, "\nsecond\n", 0600);
	cap_begin();
	s = config_secret(f, key);
	err = cap_end();
	ok(s == NULL, "an empty first line is refused");
	free(err);

	big = xmalloc(65 * 1024 + 1);
	memset(big, 'a', 65 * 1024);
	big[65 * 1024] = 0;
	put_file(f, big, 0600);
	free(big);
	cap_begin();
	s = config_secret(f, key);
	err = cap_end();
	ok(s == NULL, "a secret file over 64 KiB is refused");
	has(err, "is larger than 65536 bytes", "  and said to be too large");
	free(err);
	cap_begin();
	is_int(config_check_private(f, key), EX_CONFIG, "large: check_private refuses");
	free(cap_end());

	unlink(f);
	cap_begin();
	s = config_secret(f, key);
	err = cap_end();
	ok(s == NULL, "a missing secret file is refused");
	w = xasprintf("cannot read %s (%s): No such file", f, key);
	has(err, w, "  naming the file and the key");
	free(w);
	free(err);
	cap_begin();
	is_int(config_check_private(f, key), EX_CONFIG, "missing: check_private refuses");
	free(cap_end());
}

static void
test_secret(void)
{
	char *f = scratch_path("token"), *s;
	const char *key = "[hotwax] token_file";

	put_file(f, "s3cr3t-T0ken\n", 0600);
	s = config_secret(f, key);
	is_str(s, "s3cr3t-T0ken", "0600 secret: its line");
	free(s);
	is_int(config_check_private(f, key), 0, "0600: check_private ok");

	test_secret_one_line(f, key);

	put_file(f, "crlf-token\r\n", 0400);
	s = config_secret(f, key);
	is_str(s, "crlf-token", "0400 secret, CRLF cut");
	free(s);

	put_file(f, "no-newline", 0600);
	s = config_secret(f, key);
	is_str(s, "no-newline", "a secret without a newline");
	free(s);

	test_secret_too_open(f, key);
	test_secret_no_line(f, key);
	free(f);
}

/* [netsuite] receipt_prefix: the one rule for it (config.c name_ok),
 * which receipt-export and receipt-push trust: 1 to 64 of
 * [A-Za-z0-9._-], starting with neither '.' nor '-' (safename.h's
 * spool_lead_ok: receipt-push refuses a spool name starting with '-',
 * so a prefix "-ns" held every receipt). */
static void
test_prefix(void)
{
	static const struct {
		const char *v;
		int good;
	} t[] = {
		{ "posync", 1 }, { "Acme_Co-2.x", 1 }, { "a", 1 }, { "x.", 1 },
		{ "-lead", 0 }, { "-", 0 }, { "_lead", 1 },
		{ ".hidden", 0 }, { ".", 0 }, { "..", 0 }, { "a b", 0 },
		{ "a/b", 0 }, { "a:b", 0 }, { "caf\xc3\xa9", 0 }, { "a=b", 0 },
	};
	struct config c;
	char *f = scratch_path("prefix.conf"), *text, *err, *w, long64[66];
	size_t i;
	int r;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		text = xasprintf("[netsuite]\nreceipt_prefix = %s\n", t[i].v);
		put_file(f, text, 0600);
		cap_begin();
		r = config_load(&c, f);
		err = cap_end();
		if (t[i].good) {
			is_int(r, 0, "receipt_prefix %s is taken", t[i].v);
			is_str(c.netsuite.receipt_prefix, t[i].v, "  as written");
		} else
			is_int(r, EX_CONFIG, "receipt_prefix %s is refused", t[i].v);
		/* one message checked: msg.c shows MSG_SHOWN of a kind, and
		 * test_bad_lines used most of bad()'s */
		if (strcmp(t[i].v, ".hidden") == 0) {
			w = xasprintf("%s:2: [netsuite] receipt_prefix: ", f);
			has(err, w, "  naming the file, line and key");
			has(err, "(not starting with . or -)", "  and the whole rule");
			free(w);
		}
		if (strcmp(t[i].v, "-lead") == 0) {
			w = xasprintf("%s:2: [netsuite] receipt_prefix: \"-lead\"", f);
			has(err, w, "  -lead: naming the file, line and key");
			free(w);
		}
		config_free(&c);
		free(err);
		free(text);
	}
	memset(long64, 'p', 64);
	long64[64] = 0;
	text = xasprintf("[netsuite]\nreceipt_prefix = %s\n", long64);
	put_file(f, text, 0600);
	is_int(config_load(&c, f), 0, "a receipt_prefix of 64 bytes is taken");
	config_free(&c);
	free(text);
	long64[64] = 'p';
	long64[65] = 0;
	text = xasprintf("[netsuite]\nreceipt_prefix = %s\n", long64);
	put_file(f, text, 0600);
	cap_begin();
	is_int(config_load(&c, f), EX_CONFIG, "one of 65 bytes is refused");
	free(cap_end());
	config_free(&c);
	free(text);
	free(f);
}

int
main(void)
{
	msg_init("unit-config");
	scratch_init("unit-config");
	test_good();
	test_defaults();
	test_bad_lines();
	test_bad_file();
	test_secret();
	test_prefix();
	scratch_remove();
	return done_testing();
}
