# libFuzzer harness for the client's migration-file parser
# (src/common/revfile.c).  Kept in its own file so that test/fuzz/Makefile
# stays with the other harnesses:
#
#   make -C test/fuzz -f revfile.mk              # builds revfile_fuzz
#   make -C test/fuzz -f revfile.mk run-revfile  # fuzzes for REVFILE_FUZZ_TIME seconds (300)
#
# Needs clang with libFuzzer (Debian: clang).  Not part of the regular build.

REVFILE_FUZZ_CC ?= clang
REVFILE_FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -I../../src/common
REVFILE_FUZZ_TIME ?= 300

revfile_fuzz: revfile_fuzz.c ../../src/common/revfile.c ../../src/common/revfile.h ../../src/common/names.c ../../src/common/names.h
	$(REVFILE_FUZZ_CC) $(REVFILE_FUZZ_CFLAGS) -o $@ revfile_fuzz.c ../../src/common/revfile.c ../../src/common/names.c

# seeds are in revfile_corpus/ (versioned); findings go to revfile_work/
run-revfile: revfile_fuzz
	mkdir -p revfile_work
	./revfile_fuzz -max_total_time=$(REVFILE_FUZZ_TIME) -print_final_stats=1 revfile_work revfile_corpus

clean-revfile:
	rm -rf revfile_fuzz revfile_work

.PHONY: run-revfile clean-revfile
