# Makefile for pg_schemamig (PGXS)
#
# The control file owns the version; it is passed to the C code as
# PG_SCHEMAMIG_VERSION.  The command-line client is built by its own PGXS
# Makefile in src/client (PGXS builds one of MODULE_big or PROGRAM per file).

EXTENSION = pg_schemamig
EXTVERSION := $(shell sed -n "s/^default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" $(EXTENSION).control)

MODULE_big = pg_schemamig
# The server library: src/*.c and every folder of src/ except the client
# (its own Makefile) and sql (the install-script parts).  Each folder is a
# layer or a subsystem (README, "Layout"); headers are found by basename.
SERVER_DIRS = src $(patsubst %/,%,$(filter-out src/client/ src/sql/,$(sort $(dir $(wildcard src/*/*.c src/*/*.h)))))
OBJS = $(patsubst %.c,%.o,$(sort $(foreach d,$(SERVER_DIRS),$(wildcard $(d)/*.c))))
# The install script is assembled from the SQL entry points of each
# subsystem, src/sql/NN_name.sql in name order (the catalog first).
SQL_PARTS = $(sort $(wildcard src/sql/*.sql))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
PGFILEDESC = "pg_schemamig - schema migrations inside PostgreSQL"

PG_CPPFLAGS = $(addprefix -I,$(SERVER_DIRS)) -DPG_SCHEMAMIG_VERSION=\"$(EXTVERSION)\"
ifdef WERROR
PG_CFLAGS += -Werror
endif

# pg_regress: every sql/*.sql in name order, on a throwaway instance.
REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --temp-instance=./tmp_regress --temp-config=test/regress.conf --encoding=UTF8 --no-locale

# isolation specs
ISOLATION = $(patsubst test/isolation/specs/%.spec,%,$(sort $(wildcard test/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test/isolation --temp-instance=./tmp_iso --temp-config=test/regress.conf --encoding=UTF8 --no-locale

# TAP
TAP_TESTS = 1
PROVE_TESTS = $(sort $(wildcard test/t/*.pl))

EXTRA_CLEAN = tmp_check tmp_regress tmp_iso output_iso results regression.diffs regression.out log

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies: rebuild every server object when any
# of our headers changes (a struct changed under a stale object crashes)
$(OBJS): $(wildcard src/*.h src/*/*.h)

# test/perl holds the TAP tests' shared module (SchemamigTest.pm); added here
# rather than to PROVE_FLAGS, which callers set on the command line
PG_PROVE_FLAGS += -I test/perl

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) $(EXTENSION).control
	{ printf '/* %s */\n\n' '$@'; \
	  printf -- '-- complain if script is sourced in psql, rather than via CREATE EXTENSION\n'; \
	  printf '\\echo Use "CREATE EXTENSION $(EXTENSION)" to load this file. \\quit\n\n'; \
	  for f in $(SQL_PARTS); do cat "$$f"; echo; done; } > $@

# One target per suite, so the test runner can count each on its own.
.PHONY: check-regress check-isolation check-tap check-citus
check-regress:
	$(pg_regress_installcheck) $(REGRESS_OPTS) $(REGRESS)
check-isolation:
	$(pg_isolation_regress_installcheck) $(ISOLATION_OPTS) $(ISOLATION)
check-tap:
	$(prove_installcheck)
# the optional Citus suite (test/citus): a coordinator and two workers
check-citus:
	$(MAKE) check-tap PROVE_TESTS='$(sort $(wildcard test/citus/t/*.pl))'

# The command-line client (src/client, its own PGXS Makefile).  install also
# links it onto PATH, since PGXS puts programs in PostgreSQL's bindir, which
# Debian does not put on PATH.
CLIENT_LINK_DIR ?= /usr/local/bin
.PHONY: client install-client uninstall-client clean-client
all: client
client:
	$(MAKE) -C src/client
install: install-client
install-client: client
	$(MAKE) -C src/client install
ifeq ($(DESTDIR),)
	ln -sf '$(bindir)/pg_schemamig' '$(CLIENT_LINK_DIR)/pg_schemamig'
endif
uninstall: uninstall-client
uninstall-client:
	$(MAKE) -C src/client uninstall
ifeq ($(DESTDIR),)
	rm -f '$(CLIENT_LINK_DIR)/pg_schemamig'
endif
clean: clean-client
clean-client:
	$(MAKE) -C src/client clean
