# posync -- keeps purchase orders in step between NetSuite and HotWax.
# GNU make.  `make`, `make check`, `make install`, `make demo`.

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
CC        ?= cc
CFLAGS    ?= -O2 -g
WERROR    ?=
WARN       = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wformat=2 -Wformat-nonliteral -Wformat-security $(WERROR)
CPPFLAGS  += -D_GNU_SOURCE -Icommon
VERSION    = 0.1.0

# Debian packages the build and the tests need (make deps installs them).
DEBS = gcc libc6-dev make pkg-config libssh2-1-dev libcurl4-openssl-dev \
       libcjson-dev libcsv-dev libinih-dev libxxhash-dev xxhash \
       openssh-server openssh-client \
       python3 curl openssl perl tzdata mandoc ca-certificates procps \
       clang libclang-rt-14-dev faketime \
       prometheus prometheus-node-exporter prometheus-pushgateway
# ...and `make deb` with its tests (6050-6052).
DEBS += debhelper dpkg-dev lintian python3-yaml systemd

# Libraries: pkg-config where the package ships a .pc, else a probe.  Both
# are expanded only by the recipes that compile or link, so `make deps`,
# `make clean` and `make check` (which runs deps first) work without them.
PKG_CONFIG ?= pkg-config
pc = $(if $(shell $(PKG_CONFIG) --exists $(1) && echo y),$(shell $(PKG_CONFIG) --$(2) $(1)),$(error $(1) not found by pkg-config: apt-get install $(3), or run make deps))
SSH_CFLAGS  = $(call pc,libssh2,cflags,libssh2-1-dev)
SSH_LIBS    = $(call pc,libssh2,libs,libssh2-1-dev)
CURL_CFLAGS = $(call pc,libcurl,cflags,libcurl4-openssl-dev)
CURL_LIBS   = $(call pc,libcurl,libs,libcurl4-openssl-dev)
JSON_CFLAGS = $(call pc,libcjson,cflags,libcjson-dev)
JSON_LIBS   = $(call pc,libcjson,libs,libcjson-dev)
INI_LIBS    = $(call pc,inih,libs,libinih-dev)
XXH_LIBS    = $(call pc,libxxhash,libs,libxxhash-dev)
# libcsv ships no .pc file: probe for its header with the compiler.
CSV_LIBS    = $(if $(shell printf '\#include <csv.h>\n' | $(CC) $(CPPFLAGS) -E -x c - >/dev/null 2>&1 && echo y),-lcsv,$(error csv.h (libcsv) not found: apt-get install libcsv-dev, or run make deps))

PROGS = po-export-parse/po-export-parse po-import/po-import posync-status/posync-status \
        receipt-export/receipt-export receipt-push/receipt-push

# common/ is one archive; each program links it and the linker takes the
# objects it needs (no object lists to keep by hand), --as-needed the same
# for the shared libraries.
COMMON_SRCS = $(wildcard common/*.c)
LIB       = common/libposync.a
LIBS      = $(SSH_LIBS) $(CURL_LIBS) $(JSON_LIBS) $(INI_LIBS) $(CSV_LIBS) $(XXH_LIBS)

ALL_CFLAGS = $(CPPFLAGS) $(WARN) $(CFLAGS) $(SSH_CFLAGS) $(CURL_CFLAGS) $(JSON_CFLAGS)
ALL_CFLAGS += -DPOSYNC_VERSION='"$(VERSION)"'

# Every object depends on a stamp holding the command line it was built
# with, rewritten only when that line changes: objects left by another
# CC, CFLAGS (a sanitizer, say) or WERROR are rebuilt, never linked as they
# are.  So `make check`, which turns -Werror on, recompiles what it needs.
# An unchanged stamp is not written at all: make check's ordinary user
# then runs make (tests/6015) on the tree root built, and finds it done.
sq = $(subst ','\'',$(1))
stamp = [ "$$(cat $@ 2>/dev/null)" = '$(call sq,$(1))' ] || \
	{ printf '%s\n' '$(call sq,$(1))' >$@.new && mv -f $@.new $@; }
FLAGS = .flags

all: $(PROGS)

$(FLAGS): FORCE
	@$(call stamp,$(CC) $(ALL_CFLAGS) $(LDFLAGS))

common/%.o: common/%.c common/*.h $(FLAGS)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

%.o: %.c common/*.h $(FLAGS)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(COMMON_SRCS:.c=.o)
	rm -f $@ && ar rcs $@ $^
$(PROGS): %: %.o $(LIB)
	$(CC) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(LIBS)
# po-export-parse downloads on a thread while it parses (issue 12, P2)
%/po-export-parse: LIBS += -pthread

# C unit tests: each tests/unit/NAME.c is linked with every common/ source,
# all built under AddressSanitizer and UndefinedBehaviorSanitizer into their
# own folder, tests/unit/obj/: `make unit` never writes common/*.o, and the
# programs never link a sanitizer object.
SAN        = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
UNIT_SRCS  = $(wildcard tests/unit/*.c)
UNIT_BINS  = $(UNIT_SRCS:.c=)
UNIT_DIR   = tests/unit/obj
UNIT_COMMON_OBJS = $(COMMON_SRCS:common/%.c=$(UNIT_DIR)/%.o)
UNIT_CFLAGS = $(CPPFLAGS) -Itests/unit $(WARN) -O1 -g $(SAN) \
	$(SSH_CFLAGS) $(CURL_CFLAGS) $(JSON_CFLAGS)
UNIT_FLAGS = $(UNIT_DIR)/flags

$(UNIT_FLAGS): FORCE
	@mkdir -p $(UNIT_DIR)
	@$(call stamp,$(CC) $(UNIT_CFLAGS) $(LDFLAGS))
$(UNIT_DIR)/%.o: common/%.c common/*.h $(UNIT_FLAGS)
	$(CC) $(UNIT_CFLAGS) -c -o $@ $<
$(UNIT_DIR)/test-%.o: tests/unit/%.c tests/unit/*.h common/*.h $(UNIT_FLAGS)
	$(CC) $(UNIT_CFLAGS) -c -o $@ $<
$(UNIT_BINS): tests/unit/%: $(UNIT_DIR)/test-%.o $(UNIT_COMMON_OBJS)
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ \
	    $(SSH_LIBS) $(CURL_LIBS) $(JSON_LIBS) $(INI_LIBS) $(CSV_LIBS) $(XXH_LIBS)
unit: $(UNIT_BINS)

# Fuzzing (tests/fuzz/README.md): libFuzzer harnesses built with clang
# under ASan+UBSan into build/fuzz/, linked with every common/ source built
# the same way (an archive, so a harness may include a common/ file itself
# to reach its static functions).  `make fuzz` runs each harness for
# FUZZ_SECONDS, keeping what it learns in build/fuzz/corpus/NAME and any
# crash in tests/fuzz/crashes/NAME/, to be committed as a regression input;
# `make fuzz-replay` runs every seed and saved crash once (make check does,
# through tests/6015-fuzz-replay.t).
FUZZ_CC      = clang
FUZZ_SECONDS = 60
FUZZ_FLAGS   = -close_fd_mask=2 -print_final_stats=1
FUZZ_DIR     = build/fuzz
FUZZ_SRCS    = $(wildcard tests/fuzz/*.c)
FUZZ_NAMES   = $(notdir $(FUZZ_SRCS:.c=))
FUZZ_BINS    = $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  = $(CPPFLAGS) -Itests/fuzz $(WARN) -O1 -g $(FUZZ_SAN) \
	-fsanitize=fuzzer-no-link $(SSH_CFLAGS) $(CURL_CFLAGS) $(JSON_CFLAGS)
FUZZ_FLAGSTAMP = $(FUZZ_DIR)/flags
FUZZ_LIB     = $(FUZZ_DIR)/libposync.a

$(FUZZ_FLAGSTAMP): FORCE
	@mkdir -p $(FUZZ_DIR)/obj
	@$(call stamp,$(FUZZ_CC) $(FUZZ_CFLAGS) $(LDFLAGS))
$(FUZZ_DIR)/obj/%.o: common/%.c common/*.h $(FUZZ_FLAGSTAMP)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<
$(FUZZ_LIB): $(COMMON_SRCS:common/%.c=$(FUZZ_DIR)/obj/%.o)
	rm -f $@ && ar rcs $@ $^
$(FUZZ_DIR)/%.o: tests/fuzz/%.c tests/fuzz/*.h common/*.h common/*.c $(FUZZ_FLAGSTAMP)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<
$(FUZZ_BINS): $(FUZZ_DIR)/%: $(FUZZ_DIR)/%.o $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ \
	    $(SSH_LIBS) $(CURL_LIBS) $(JSON_LIBS) $(INI_LIBS) $(CSV_LIBS) $(XXH_LIBS)
fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@failed=; for h in $(FUZZ_NAMES); do \
	    mkdir -p $(FUZZ_DIR)/corpus/$$h tests/fuzz/crashes/$$h || exit 1; \
	    echo "fuzz: $$h for $(FUZZ_SECONDS) s" >&2; \
	    $(FUZZ_DIR)/$$h $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
	        -artifact_prefix=tests/fuzz/crashes/$$h/ \
	        $(FUZZ_DIR)/corpus/$$h tests/fuzz/corpus/$$h || failed="$$failed $$h"; \
	done; \
	[ -z "$$failed" ] || { echo "fuzz: crashed:$$failed (inputs in tests/fuzz/crashes/)" >&2; exit 1; }

fuzz-replay: fuzz-build
	@for h in $(FUZZ_NAMES); do \
	    set -- $$(find tests/fuzz/corpus/$$h tests/fuzz/crashes/$$h -type f \
	        ! -name '.*' 2>/dev/null | sort); \
	    [ $$# -gt 0 ] || { echo "fuzz-replay: $$h has no corpus" >&2; exit 1; }; \
	    $(FUZZ_DIR)/$$h "$$@" || { echo "fuzz-replay: $$h failed" >&2; exit 1; }; \
	done

# The programs again under ASan+UBSan, in build/san/PROG/PROG (the
# normal build is untouched), and the shell tests run against them: lib.sh
# puts $$POSYNC_BINDIR/PROG first in PATH.  Any sanitizer report aborts the
# program, so the test that ran it fails and shows the report.  Left out:
# the build and unit-only tests (they run no program, and the unit
# binaries are sanitized already), the tests of the docs and the code's
# shape (they read text), the demo (the same flow as 5007-e2e), the
# alert rules and systemd units (no posync program runs in them), and the
# package (built from a copy of the tree with the normal flags: no
# sanitized program is in it).
SAN_DIR   = build/san
SAN_SKIP  = tests/00%.t tests/01%.t tests/02%.t tests/6015-fuzz-replay.t \
            tests/6001-demo.t tests/6002-readme.t tests/6003-docs.t \
            tests/6023-options-help-width.t tests/6032-hacking.t \
            tests/6044-metrics-docs.t tests/6050-deb.t \
            tests/6051-systemd-units.t
SAN_TESTS = $(filter-out $(SAN_SKIP),$(wildcard tests/*.t))
SAN_CFLAGS = $(ALL_CFLAGS) -O1 -g $(SAN)
SAN_FLAGS = $(SAN_DIR)/flags
SAN_PROGS = $(PROGS:%=$(SAN_DIR)/%)
SAN_ENV   = POSYNC_BINDIR=$(CURDIR)/$(SAN_DIR) POSYNC_SANITIZED=1 \
	ASAN_OPTIONS=abort_on_error=1:halt_on_error=1:detect_leaks=1:verify_asan_link_order=0 \
	UBSAN_OPTIONS=abort_on_error=1:halt_on_error=1:print_stacktrace=1 \
	LSAN_OPTIONS=exitcode=70

$(SAN_FLAGS): FORCE
	@mkdir -p $(SAN_DIR)
	@$(call stamp,$(CC) $(SAN_CFLAGS) $(LDFLAGS))
$(SAN_DIR)/%.o: %.c common/*.h $(SAN_FLAGS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -c -o $@ $<
$(SAN_DIR)/$(LIB): $(COMMON_SRCS:%.c=$(SAN_DIR)/%.o)
	rm -f $@ && ar rcs $@ $^
$(SAN_PROGS): $(SAN_DIR)/%: $(SAN_DIR)/%.o $(SAN_DIR)/$(LIB)
	$(CC) $(SAN) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(LIBS)
san: $(SAN_PROGS)
print-san-env:
	@echo $(SAN_ENV)

check-sanitize: deps
	$(MAKE) all san WERROR=-Werror
	env $(SAN_ENV) sh tests/prove.sh $(SAN_TESTS)

# Only deps needs root (it runs apt-get).  check and demo, run by anyone
# else, only check the packages are there and say what is missing.
deps:
	@sh tests/deps.sh $(DEBS)

# The whole suite: dependencies, a -Werror build, the sanitizer unit tests,
# the fuzz harnesses (tests/6015 replays them) and the shell tests, all TAP
# through prove; then the shell tests again against the sanitizer build
# (check-sanitize).  Run by root, the first pass runs as an ordinary user
# (tests/as-user.sh) and the sanitizer pass as root, so the tests run both
# ways in the time of one.  It fails, loudly, when a unit test binary is
# missing or no tests/*.t runs it, and when prove ran no test (prove itself
# calls that a success).
check: deps
	$(MAKE) all unit fuzz-build WERROR=-Werror
	sh tests/units.sh $(UNIT_BINS)
	sh tests/as-user.sh sh tests/prove.sh tests/*.t
	@$(MAKE) check-sanitize

demo: deps
	$(MAKE) all
	sh tests/demo.sh

# Benchmarks, for people (never part of `make check`, nothing asserted):
# moderate sizes, about a minute; bench/README.md has the full-size runs.
bench: all bench/csvcount bench/writefloor
	sh bench/p1-parse.sh 200000
	sh bench/pocsv-bench.sh 200000
	sh bench/receipt-bench.sh 400 5
	sh bench/receipt-bench.sh 2000 5
	sh bench/polines-bench.sh 200000

# The peers bench/ measures against that Debian ships (bench/README.md),
# and bench/csvcount, the libcsv peer of bench/p1-parse.sh, and
# bench/writefloor, its floor.
BENCH_DEBS = miller openssh-client
bench-deps: bench/csvcount bench/writefloor
	@sh tests/deps.sh $(BENCH_DEBS)
bench/csvcount: bench/csvcount.c
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -o $@ bench/csvcount.c $(CSV_LIBS)
bench/writefloor: bench/writefloor.c
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -o $@ bench/writefloor.c

# The programs, their pages, and what a person starts from: the README,
# posync.conf.example, and crontab.example with the BINDIR installed to.
DOCDIR ?= $(PREFIX)/share/doc/posync
DOCS    = README.md posync.conf.example crontab.example
install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DOCDIR)
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)/
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7/
	install -m 644 README.md posync.conf.example $(DESTDIR)$(DOCDIR)/
	sed 's#/usr/local/bin#$(BINDIR)#g' crontab.example >$(DESTDIR)$(DOCDIR)/crontab.example
	chmod 644 $(DESTDIR)$(DOCDIR)/crontab.example

uninstall:
	for p in $(notdir $(PROGS)); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for m in $(notdir $(wildcard man/*.[157])); do \
	    s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$$m; done
	for d in $(DOCS); do rm -f $(DESTDIR)$(DOCDIR)/$$d; done
	rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null || true

# The Debian package (debian/, Debian 12): debian/rules builds and
# installs with this Makefile (PREFIX=/usr) and leaves
# build/deb/posync_VERSION_ARCH.deb.  Rules-Requires-Root: no, so neither
# root nor fakeroot.  It builds in a copy of the tree, build/deb/src
# (no .git, no build/, no objects), removed after: debian/rules clean runs
# make clean, which here would delete the tree's build (build/fuzz's
# corpus, build/san, the unit tests).  dpkg-buildpackage -b -us -uc also
# works (into ../), and cleans the tree it runs in, as Debian's do.
DEB_DIR = build/deb
DEB_SRC = $(DEB_DIR)/src
deb:
	dpkg-checkbuilddeps
	rm -rf $(DEB_SRC) && mkdir -p $(DEB_SRC) && rm -f $(DEB_DIR)/posync*.deb
	tar --exclude=./.git --exclude=./build --exclude='*.o' --exclude='*.a' \
	    --exclude=./tests/unit/obj -cf - . | tar -C $(DEB_SRC) -xf -
	cd $(DEB_SRC) && debian/rules clean && DEB_RULES_REQUIRES_ROOT=no \
	    DEB_DESTDIR=$(CURDIR)/$(DEB_DIR) debian/rules binary
	rm -rf $(DEB_SRC)

clean:
	rm -f $(PROGS) */*.o $(LIB) $(UNIT_BINS) $(FLAGS) $(FLAGS).new bench/csvcount bench/writefloor
	rm -rf $(UNIT_DIR) tests/bed/__pycache__ $(FUZZ_DIR) $(SAN_DIR)
	rmdir build 2>/dev/null || true

FORCE:
.PHONY: all unit fuzz fuzz-build fuzz-replay san print-san-env check-sanitize deps check demo bench bench-deps install uninstall deb clean FORCE
