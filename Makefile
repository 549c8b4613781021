# posync -- keeps purchase orders in step between NetSuite and HotWax.
# GNU make.  `make`, `make check`, `make install`, `make demo`.

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
CC        ?= cc
CFLAGS    ?= -O2 -g
WERROR    ?=
WARN       = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes $(WERROR)
CPPFLAGS  += -D_GNU_SOURCE -Icommon
VERSION    = 0.1.0

# Debian packages the build and the tests need (make deps installs them).
DEBS = gcc libc6-dev make pkg-config libssh2-1-dev libcurl4-openssl-dev \
       libcjson-dev libcsv-dev libinih-dev openssh-server openssh-client \
       python3 curl openssl perl tzdata mandoc ca-certificates procps

# Libraries: pkg-config where the package ships a .pc, else a probe.
pc = $(if $(shell pkg-config --exists $(1) && echo y),$(shell pkg-config --$(2) $(1)),$(error $(1) not found by pkg-config: apt-get install $(3), or run make deps))
SSH_CFLAGS  = $(call pc,libssh2,cflags,libssh2-1-dev)
SSH_LIBS    = $(call pc,libssh2,libs,libssh2-1-dev)
CURL_CFLAGS = $(call pc,libcurl,cflags,libcurl4-openssl-dev)
CURL_LIBS   = $(call pc,libcurl,libs,libcurl4-openssl-dev)
JSON_CFLAGS = $(call pc,libcjson,cflags,libcjson-dev)
JSON_LIBS   = $(call pc,libcjson,libs,libcjson-dev)
INI_LIBS    = $(call pc,inih,libs,libinih-dev)
CSV_LIBS    = -lcsv

PROGS = po-export-parse/po-export-parse po-import/po-import \
        receipt-export/receipt-export receipt-push/receipt-push

BASE_OBJS = common/msg.o common/util.o common/config.o common/spool.o common/lock.o
PEP_OBJS  = $(BASE_OBJS) common/safename.o common/decimal.o common/polines.o \
            common/pocsv.o common/sftp.o
PI_OBJS   = $(BASE_OBJS) common/input.o common/hotwax.o
RE_OBJS   = $(BASE_OBJS) common/decimal.o common/polines.o common/hotwax.o \
            common/receipts.o
RP_OBJS   = $(BASE_OBJS) common/input.o common/safename.o common/sftp.o

ALL_CFLAGS = $(CPPFLAGS) $(WARN) $(CFLAGS) $(SSH_CFLAGS) $(CURL_CFLAGS) $(JSON_CFLAGS)
ALL_CFLAGS += -DPOSYNC_VERSION='"$(VERSION)"'

all: $(PROGS)

common/%.o: common/%.c common/*.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

%.o: %.c common/*.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

po-export-parse/po-export-parse: po-export-parse/po-export-parse.o $(PEP_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SSH_LIBS) $(INI_LIBS) $(CSV_LIBS) $(JSON_LIBS)
po-import/po-import: po-import/po-import.o $(PI_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(CURL_LIBS) $(JSON_LIBS) $(INI_LIBS)
receipt-export/receipt-export: receipt-export/receipt-export.o $(RE_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(CURL_LIBS) $(JSON_LIBS) $(INI_LIBS)
receipt-push/receipt-push: receipt-push/receipt-push.o $(RP_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SSH_LIBS) $(INI_LIBS)

# C unit tests: each tests/unit/NAME.c is linked with every common/ source,
# built afresh under AddressSanitizer and UndefinedBehaviorSanitizer.
SAN        = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
UNIT_SRCS  = $(wildcard tests/unit/*.c)
UNIT_BINS  = $(UNIT_SRCS:.c=)
COMMON_SRCS = $(wildcard common/*.c)
$(UNIT_BINS): %: %.c $(COMMON_SRCS) common/*.h tests/unit/tap.h
	$(CC) $(CPPFLAGS) $(WARN) -O1 -g $(SAN) $(SSH_CFLAGS) $(CURL_CFLAGS) $(JSON_CFLAGS) \
	    -Itests/unit -o $@ $< $(COMMON_SRCS) \
	    $(SSH_LIBS) $(CURL_LIBS) $(JSON_LIBS) $(INI_LIBS) $(CSV_LIBS)
unit: $(UNIT_BINS)

deps:
	@sh tests/deps.sh $(DEBS)

# The whole suite: dependencies, a -Werror build, the sanitizer unit tests
# and the shell tests, all TAP through prove.
check: deps
	$(MAKE) all unit WERROR=-Werror
	prove -j2 --timer tests/

demo: deps
	$(MAKE) all
	sh tests/demo.sh

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)/
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7/

uninstall:
	for p in $(notdir $(PROGS)); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for m in $(notdir $(wildcard man/*.[157])); do \
	    s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$$m; done

clean:
	rm -f $(PROGS) */*.o $(UNIT_BINS)

.PHONY: all unit deps check demo install uninstall clean
