# petition: one non-recursive Makefile (HACKING.md).
#
#   make            build the programs and libpetition into $(B)
#   make check      build, lint the man pages, run the tests, then again under ASan/UBSan
#   make demo       register the sample petitions in a scratch database and show them
#   make bench      time intake, the due list, routing, the report, audit verify and check
#                   against sqlite3, the roll-up of 200 submissions against cat (N=1000000),
#                   and single commands against one-statement sqlite3 runs (N/10 petitions)
#   make install    PREFIX, DESTDIR, BINDIR, LIBEXECDIR, LIBDIR, INCLUDEDIR, MANDIR,
#                   COMPLETIONSDIR
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
# Where bash-completion looks for a command's completion (loaded on first use).
COMPLETIONSDIR ?= $(or $(shell pkg-config --define-variable=prefix='$(PREFIX)' \
		  --variable=completionsdir bash-completion 2>/dev/null),$(PREFIX)/share/bash-completion/completions)
DESTDIR    ?=

B      ?= build
CC     ?= cc
CFLAGS ?= -O2 -g
WARN    = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wvla -Wwrite-strings
# libxlsxwriter is not linked: lib/xlsx.c loads it with dlopen() when a workbook is written
# (--format xlsx), by the soname of the library the build finds (XLSX_LIBS, see
# gen/xlsx_soname.h below), so that no other run loads it and the libcrypto it needs, which
# were half of a single command's start-up (bench/README.md, "Single commands"). Its header
# is still needed to build. dlopen() is in the C library (glibc 2.34 and later).
DEPS_CFLAGS := $(shell pkg-config --cflags sqlite3 yaml-0.1 nettle xlsxwriter 2>/dev/null)
DEPS_LIBS   := $(shell pkg-config --libs sqlite3 yaml-0.1 nettle 2>/dev/null || echo -lsqlite3 -lyaml -lnettle) -lcsv
XLSX_LIBS   := $(shell pkg-config --libs xlsxwriter 2>/dev/null || echo -lxlsxwriter)
# The programs link SQLite, libyaml, nettle and libcsv statically (Debian's -dev packages ship
# each .a): a single command's start-up was a third symbol look-ups and relocations of shared
# libraries (bench/README.md, "Single commands"). The installed library and petition.pc use
# DEPS_LIBS.
PROG_LIBS  := -Wl,-O1,--as-needed $(shell pkg-config --libs-only-L sqlite3 yaml-0.1 nettle 2>/dev/null) \
	      -Wl,-Bstatic -lsqlite3 -lyaml -lnettle -lcsv -Wl,-Bdynamic -lm
# make check builds with warnings as errors (WERROR=1), so that none slips in.
ifdef WERROR
WARN += -Werror
endif
ifdef SAN
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
# -pthread: audit verify reads the log in a second thread (lib/replay.c, "the reader").
ALL_CFLAGS = $(WARN) -D_GNU_SOURCE -pthread $(DEPS_CFLAGS) $(CFLAGS) $(SANFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) -pthread $(SANFLAGS)

LIB_SRC  = $(sort $(wildcard lib/*.c))
LIB_HDR  = $(sort $(wildcard lib/*.h))
LIB_OBJ  = $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/schema.o $(B)/gen/default_rules.o $(B)/gen/default_rules_form.o
PROGRAMS = petition petition-init petition-rules petition-intake petition-route petition-case petition-schedule petition-audit petition-report
PROG_BIN = $(PROGRAMS:%=$(B)/%)
# The commands the dispatcher also holds (cmd/petition.c, "builtins"): every program but it.
BUILTINS = $(filter-out petition,$(PROGRAMS:petition-%=%))
UNIT_SRC = $(sort $(wildcard tests/unit/*.c))
UNIT_BIN = $(UNIT_SRC:%.c=$(B)/%)
MAN1     = $(sort $(wildcard man/*.1))
MAN5     = $(sort $(wildcard man/*.5))
MAN7     = $(sort $(wildcard man/*.7))
SCHEMA   = $(sort $(wildcard schema/*.sql))

.SECONDARY:

.PHONY: FORCE all check test test-asan lint-man demo bench install uninstall clean deps

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

# The default rules parsed, in their serialized form (lib/rules.c), for the rules in force to
# load without parsing: written by tools/rules-form.c, which links the library's objects
# but this one (tools/no-rules-form.c stands in for it) and parses the default itself.
$(B)/gen/default_rules_form.c: $(B)/tools/rules-form
	@mkdir -p $(dir $@)
	$(B)/tools/rules-form > $@.tmp && mv $@.tmp $@

$(B)/tools/rules-form: $(B)/tools/rules-form.o $(B)/tools/no-rules-form.o \
		       $(filter-out $(B)/gen/default_rules_form.o,$(LIB_OBJ))
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEPS_LIBS)

# The build a serialized form of the rules is valid for (lib/rules.c): the hash of the
# library's sources and of the default rules, so that a form cached by another version is
# refused; rules.o is compiled again when any of them changes.
RULES_BUILD := $(shell cat $(LIB_SRC) $(LIB_HDR) examples/rules.yaml | sha256sum | cut -c1-16)
$(B)/lib/rules.o: ALL_CFLAGS += -DPT_RULES_BUILD='"$(RULES_BUILD)"'
$(B)/lib/rules.o: $(LIB_SRC) $(LIB_HDR) examples/rules.yaml

$(B)/gen/%.o: $(B)/gen/%.c
	$(CC) $(ALL_CFLAGS) -Wno-missing-variable-declarations -c -o $@ $<

$(B)/libpetition.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# The dispatcher finds the programs and the manuals relative to its own directory (BINDIR),
# as git's RUNTIME_PREFIX does, so that an install to any PREFIX, or a DESTDIR tree moved
# elsewhere, runs its own programs. The relative paths are in a header rewritten only when
# they change, so that a change of LIBEXECDIR or MANDIR rebuilds the dispatcher.
$(B)/gen/paths.h: FORCE
	@mkdir -p $(dir $@)
	@{ printf '#define PT_LIBEXEC_FROM_BIN "%s"\n' "$$(realpath -m --relative-to='$(BINDIR)' '$(LIBEXECDIR)')"; \
	   printf '#define PT_MAN_FROM_BIN "%s"\n' "$$(realpath -m --relative-to='$(BINDIR)' '$(MANDIR)')"; \
	 } >$@.tmp && if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

# The commands linked into the dispatcher (BUILTINS), a PT_BUILTIN(cmd) line each for
# cmd/petition.c; rewritten only when the list changes, as paths.h is.
$(B)/gen/builtins.h: FORCE
	@mkdir -p $(dir $@)
	@printf 'PT_BUILTIN(%s)\n' $(BUILTINS) >$@.tmp && if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

# The soname of the libxlsxwriter the build finds, which lib/xlsx.c loads: what a program
# linked against XLSX_LIBS would ask the dynamic linker for (its NEEDED entry), so that the
# run loads the library the build compiled against, whatever the linker's search path.
# Probed on every make and rewritten only when it changes, as paths.h is.
$(B)/gen/xlsx_soname.h: FORCE
	@mkdir -p $(dir $@)
	@printf 'int main(void) { return 0; }\n' >$@.c && \
	 $(CC) $(LDFLAGS) -o $@.probe $@.c -Wl,--no-as-needed $(XLSX_LIBS) && \
	 soname=$$(LC_ALL=C readelf -d $@.probe | sed -n 's/.*(NEEDED).*\[\(libxlsxwriter[^]]*\)\].*/\1/p') && \
	 rm -f $@.c $@.probe && \
	 if [ -z "$$soname" ]; then echo "$@: no libxlsxwriter among the NEEDED of a program linked with $(XLSX_LIBS)" >&2; exit 1; fi && \
	 printf '#define PT_XLSXWRITER_SONAME "%s"\n' "$$soname" >$@.tmp && \
	 if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(B)/lib/xlsx.o: $(B)/gen/xlsx_soname.h
$(B)/lib/xlsx.o: ALL_CFLAGS += -I$(B)/gen

$(B)/cmd/petition.o: $(B)/gen/paths.h $(B)/gen/builtins.h
$(B)/cmd/petition.o: ALL_CFLAGS += -I$(B)/gen

# The dispatcher holds the commands too, each program's source compiled a second time with
# main() renamed cmd_builtin_<cmd> (cmd/petition.c, "builtins", declares them): `petition case
# show` then starts one program, not two, which was a third of such a command's time
# (bench/README.md, "Commands inside the dispatcher"). Compiled, not renamed in the object,
# so that it works for any object the compiler makes (LTO's too).
$(B)/cmd/builtin-%.o: cmd/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Dmain=cmd_builtin_$* -c -o $@ $<

$(B)/petition: $(B)/cmd/petition.o $(BUILTINS:%=$(B)/cmd/builtin-%.o) $(B)/cmd/common.o $(B)/libpetition.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PROG_LIBS)

$(B)/petition-%: $(B)/cmd/%.o $(B)/cmd/common.o $(B)/libpetition.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PROG_LIBS)

$(B)/tests/unit/%: tests/unit/%.c tests/unit/tap.h tests/unit/query.h $(B)/libpetition.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libpetition.a $(DEPS_LIBS)

# Written at install time, so that it names the PREFIX of that install. The library is
# static only: its interface is young and changes with every release, so a shared library
# would promise a stable ABI (a soname) that it cannot keep; a static one is linked into the
# program and never goes stale. So its dependencies are public (Requires, Libs), not
# .private: `cc t.c $$(pkg-config --cflags --libs petition)` links. Headers are included
# as <petition/petition.h>, so that our csv.h never hides libcsv's.
define PKGCONFIG
prefix=$(PREFIX)
libdir=$(LIBDIR)
includedir=$(INCLUDEDIR)

Name: petition
Description: library of the petition toolkit for union petition offices
Version: $(VERSION)
Requires: sqlite3 yaml-0.1 nettle
Cflags: -I$${includedir}
Libs: -L$${libdir} -lpetition -lcsv
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
	sh bench/rollup.sh $(B) $(or $(N),1000000)
	sh bench/rules.sh $(B)
	sh bench/single.sh $(B) $$(($(or $(N),1000000) / 10))

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(LIBDIR) \
	  $(DESTDIR)$(INCLUDEDIR)/petition $(DESTDIR)$(PKGCONFIGDIR) \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	  $(DESTDIR)$(COMPLETIONSDIR)
	install -m 755 $(B)/petition $(DESTDIR)$(BINDIR)/petition
	install -m 755 $(filter-out $(B)/petition,$(PROG_BIN)) $(DESTDIR)$(LIBEXECDIR)/
	install -m 644 $(B)/libpetition.a $(DESTDIR)$(LIBDIR)/libpetition.a
	install -m 644 $(LIB_HDR) $(DESTDIR)$(INCLUDEDIR)/petition/
	printf '%s\n' "$$PKGCONFIG" > $(DESTDIR)$(PKGCONFIGDIR)/petition.pc
	for m in $(MAN1); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(MAN5); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man5/; done
	for m in $(MAN7); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man7/; done
	install -m 644 completion/petition.bash $(DESTDIR)$(COMPLETIONSDIR)/petition
	for p in $(filter-out petition,$(PROGRAMS)); do \
	  ln -sf petition $(DESTDIR)$(COMPLETIONSDIR)/$$p; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/petition $(PROGRAMS:%=$(DESTDIR)$(LIBEXECDIR)/%)
	rm -f $(DESTDIR)$(LIBDIR)/libpetition.a $(DESTDIR)$(PKGCONFIGDIR)/petition.pc
	rm -rf $(DESTDIR)$(INCLUDEDIR)/petition
	rm -f $(PROGRAMS:%=$(DESTDIR)$(COMPLETIONSDIR)/%)
	rm -f $(MAN1:man/%=$(DESTDIR)$(MANDIR)/man1/%) $(MAN5:man/%=$(DESTDIR)$(MANDIR)/man5/%) \
	  $(MAN7:man/%=$(DESTDIR)$(MANDIR)/man7/%)

clean:
	rm -rf build build-asan

-include $(shell find $(B) -name '*.d' 2>/dev/null)
