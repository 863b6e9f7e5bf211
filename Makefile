# petition: one non-recursive Makefile (HACKING.md).
#
#   make            build the programs and libpetition into $(B)
#   make check      build, lint the man pages, run the tests, then again under ASan/UBSan
#   make demo       register the sample petitions in a scratch database and show them
#   make bench      time intake, the due list, routing, the report and audit verify against
#                   sqlite3 (N=1000000)
#   make install    PREFIX, DESTDIR, BINDIR, LIBEXECDIR, LIBDIR, INCLUDEDIR, MANDIR
#
# `make check`, `make demo` and `make bench` first run scripts/install-deps.

VERSION    = 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
# The petition-<cmd> programs; the dispatcher looks here (compiled in). They go beside
# `petition` by default so that each also runs on its own from PATH.
LIBEXECDIR ?= $(BINDIR)
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR    ?=

B      ?= build
CC     ?= cc
CFLAGS ?= -O2 -g
WARN    = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wvla -Wwrite-strings
DEPS_CFLAGS := $(shell pkg-config --cflags sqlite3 yaml-0.1 nettle 2>/dev/null)
DEPS_LIBS   := $(shell pkg-config --libs sqlite3 yaml-0.1 nettle 2>/dev/null || echo -lsqlite3 -lyaml -lnettle) -lcsv
# make check builds with warnings as errors (WERROR=1), so that none slips in.
ifdef WERROR
WARN += -Werror
endif
ifdef SAN
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
ALL_CFLAGS = $(WARN) -D_GNU_SOURCE $(DEPS_CFLAGS) $(CFLAGS) $(SANFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

LIB_SRC  = $(sort $(wildcard lib/*.c))
LIB_HDR  = $(sort $(wildcard lib/*.h))
LIB_OBJ  = $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/schema.o $(B)/gen/default_rules.o
PROGRAMS = petition petition-init petition-rules petition-intake petition-route petition-case petition-schedule petition-audit petition-report
PROG_BIN = $(PROGRAMS:%=$(B)/%)
UNIT_SRC = $(sort $(wildcard tests/unit/*.c))
UNIT_BIN = $(UNIT_SRC:%.c=$(B)/%)
MAN1     = $(sort $(wildcard man/*.1))
MAN5     = $(sort $(wildcard man/*.5))
MAN7     = $(sort $(wildcard man/*.7))
SCHEMA   = $(sort $(wildcard schema/*.sql))

.SECONDARY:

.PHONY: all check test test-asan lint-man demo bench install uninstall clean deps

all: $(PROG_BIN) $(B)/libpetition.a

deps:
	@sh scripts/install-deps

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/gen/schema.c: $(SCHEMA) scripts/embed
	@mkdir -p $(dir $@)
	sh scripts/embed pt_schema_sql $(SCHEMA) > $@.tmp && mv $@.tmp $@

$(B)/gen/default_rules.c: examples/rules.yaml scripts/embed
	@mkdir -p $(dir $@)
	sh scripts/embed pt_default_rules examples/rules.yaml > $@.tmp && mv $@.tmp $@

$(B)/gen/%.o: $(B)/gen/%.c
	$(CC) $(ALL_CFLAGS) -Wno-missing-variable-declarations -c -o $@ $<

$(B)/libpetition.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/cmd/petition.o: ALL_CFLAGS += -DPT_LIBEXECDIR='"$(LIBEXECDIR)"' -DPT_MANDIR='"$(MANDIR)"'

$(B)/petition: $(B)/cmd/petition.o $(B)/libpetition.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEPS_LIBS)

$(B)/petition-%: $(B)/cmd/%.o $(B)/cmd/common.o $(B)/libpetition.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEPS_LIBS)

$(B)/tests/unit/%: tests/unit/%.c tests/unit/tap.h tests/unit/query.h $(B)/libpetition.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libpetition.a $(DEPS_LIBS)

# Written at install time, so that it names the PREFIX of that install.
define PKGCONFIG
prefix=$(PREFIX)
libdir=$(LIBDIR)
includedir=$(INCLUDEDIR)

Name: petition
Description: library of the petition toolkit for union petition offices
Version: $(VERSION)
Requires.private: sqlite3 yaml-0.1 nettle
Cflags: -I$${includedir}/petition
Libs: -L$${libdir} -lpetition
Libs.private: -lcsv
endef
export PKGCONFIG

lint-man:
	mandoc -Tlint -Wwarning $(MAN1) $(MAN5) $(MAN7)

test: all $(UNIT_BIN)
	PETITION_BUILD=$(abspath $(B)) PETITION_SANFLAGS='$(SANFLAGS)' prove -j2 $(UNIT_BIN) tests/t[0-9]*.sh

test-asan:
	$(MAKE) B=build-asan SAN=1 CFLAGS='-O1 -g' test

check: deps
	$(MAKE) lint-man
	$(MAKE) WERROR=1 test
	$(MAKE) WERROR=1 test-asan

demo: deps all
	sh examples/demo.sh $(B)

bench: deps all
	sh bench/intake.sh $(B) $(or $(N),1000000)
	sh bench/lock.sh $(B)
	sh bench/indexes.sh $(B) $$(($(or $(N),1000000) / 5))
	sh bench/due.sh $(B) $(or $(N),1000000)
	sh bench/route.sh $(B) $(or $(N),1000000)
	sh bench/report.sh $(B) $(or $(N),1000000)
	sh bench/verify.sh $(B) $(or $(N),1000000)
	sh bench/check.sh $(B) $(or $(N),1000000)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(LIBDIR) \
	  $(DESTDIR)$(INCLUDEDIR)/petition $(DESTDIR)$(PKGCONFIGDIR) \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(B)/petition $(DESTDIR)$(BINDIR)/petition
	install -m 755 $(filter-out $(B)/petition,$(PROG_BIN)) $(DESTDIR)$(LIBEXECDIR)/
	install -m 644 $(B)/libpetition.a $(DESTDIR)$(LIBDIR)/libpetition.a
	install -m 644 $(LIB_HDR) $(DESTDIR)$(INCLUDEDIR)/petition/
	printf '%s\n' "$$PKGCONFIG" > $(DESTDIR)$(PKGCONFIGDIR)/petition.pc
	for m in $(MAN1); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(MAN5); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man5/; done
	for m in $(MAN7); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man7/; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/petition $(PROGRAMS:%=$(DESTDIR)$(LIBEXECDIR)/%)
	rm -f $(DESTDIR)$(LIBDIR)/libpetition.a $(DESTDIR)$(PKGCONFIGDIR)/petition.pc
	rm -rf $(DESTDIR)$(INCLUDEDIR)/petition
	rm -f $(MAN1:man/%=$(DESTDIR)$(MANDIR)/man1/%) $(MAN5:man/%=$(DESTDIR)$(MANDIR)/man5/%) \
	  $(MAN7:man/%=$(DESTDIR)$(MANDIR)/man7/%)

clean:
	rm -rf build build-asan

-include $(shell find $(B) -name '*.d' 2>/dev/null)
