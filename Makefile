# mandat: one GNU Makefile.  Targets: all check bench asan fuzz format clean regen.
# Libraries through pkg-config; objects in build/.

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Wshadow -Wpedantic
ifneq ($(WERROR),)
WARN     += -Werror
endif
PKGS     := libxml-2.0 sqlite3 libutf8proc
HAVE_POPPLER := $(shell pkg-config --exists poppler-glib 2>/dev/null && echo 1)
ifeq ($(HAVE_POPPLER),1)
PKGS     += poppler-glib
DEFS     += -DMANDAT_HAVE_POPPLER
endif
CPPFLAGS += -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L $(DEFS) $(shell pkg-config --cflags $(PKGS))
LDLIBS   += $(shell pkg-config --libs $(PKGS)) -lstemmer -lm

BUILD    ?= build
LIB_SRC  := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
TEST_BIN := $(BUILD)/spec_runner

.PHONY: all check bench asan fuzz format clean regen deps

all: mandat

$(BUILD)/%.o: src/%.c $(wildcard src/*.h include/*.h) | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c $(wildcard src/*.h include/*.h) | $(BUILD)
	@mkdir -p $(BUILD)/tests
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -c $< -o $@

$(BUILD):
	@mkdir -p $(BUILD)

$(BUILD)/libmandat.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

mandat: $(BUILD)/main.o $(BUILD)/libmandat.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(TEST_BIN): $(BUILD)/tests/spec_runner.o $(BUILD)/libmandat.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# Install what the build and the tests need (Debian; a no-op when present).
deps:
	@./scripts/deps.sh

check: deps
	$(MAKE) mandat $(TEST_BIN)
	./tests/run.sh ./mandat $(TEST_BIN)

regen: mandat
	./tests/regen.sh ./mandat

bench: mandat
	./bench/run.sh ./mandat

asan:
	$(MAKE) BUILD=build/asan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  mandat build/asan/spec_runner
	mv mandat build/asan/mandat
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ./tests/run.sh ./build/asan/mandat build/asan/spec_runner

fuzz:
	$(MAKE) BUILD=build/fuzz CC=clang \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
	  build/fuzz/libmandat.a
	clang -O1 -g -fsanitize=fuzzer,address,undefined $(CPPFLAGS) tests/fuzz_parse.c \
	  build/fuzz/libmandat.a $(LDLIBS) -o build/fuzz/fuzz_parse
	mkdir -p build/fuzz/corpus && cp corpus/*.txt tests/data/html/*.html build/fuzz/corpus/ 2>/dev/null; \
	./build/fuzz/fuzz_parse -runs=$${FUZZ_RUNS:-1000000} -max_len=65536 -timeout=10 \
	  -artifact_prefix=build/fuzz/ build/fuzz/corpus tests/fuzz/crashes

format:
	clang-format -i src/*.c src/*.h include/*.h tests/*.c

clean:
	rm -rf build mandat
