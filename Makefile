# mandat: one GNU Makefile.  Targets: all run check bench asan fuzz format clean regen deps.
# Libraries through pkg-config; objects in build/.

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Wshadow -Wpedantic
ifneq ($(WERROR),)
WARN     += -Werror
endif
PKGS     := libxml-2.0 sqlite3 libutf8proc libcrypto
HAVE_POPPLER := $(shell pkg-config --exists poppler-glib 2>/dev/null && echo 1)
# poppler-glib (PDF input) and libmicrohttpd (`mandat serve`) are opened with dlopen()
# when first needed (src/dynload.h): their headers at build time, their sonames from
# the libraries the headers come with.
soname = $(shell objdump -p $$(pkg-config --variable=libdir $(1))/$(2) 2>/dev/null | awk '/SONAME/ { print $$2 }')
ifeq ($(HAVE_POPPLER),1)
POPPLER_SONAME := $(call soname,poppler-glib,libpoppler-glib.so)
DEFS     += -DMANDAT_HAVE_POPPLER $(if $(POPPLER_SONAME),-DMANDAT_POPPLER_SONAME='"$(POPPLER_SONAME)"')
DYN_CFLAGS += $(shell pkg-config --cflags poppler-glib)
endif
MHD_SONAME := $(call soname,libmicrohttpd,libmicrohttpd.so)
DEFS     += $(if $(MHD_SONAME),-DMANDAT_MHD_SONAME='"$(MHD_SONAME)"')
DYN_CFLAGS += $(shell pkg-config --cflags libmicrohttpd)
CPPFLAGS += -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L $(DEFS) $(shell pkg-config --cflags $(PKGS)) $(DYN_CFLAGS)
LDLIBS   += $(shell pkg-config --libs $(PKGS)) -lstemmer -lm

BUILD    ?= build
LIB_SRC  := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/%.o) $(BUILD)/web_assets.o
TEST_BIN := $(BUILD)/spec_runner

.PHONY: all run check bench bench-registry asan fuzz format clean regen deps

all: mandat

$(BUILD)/%.o: src/%.c $(wildcard src/*.h include/*.h) | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c $(wildcard src/*.h include/*.h) | $(BUILD)
	@mkdir -p $(BUILD)/tests
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -c $< -o $@

# The web interface (web/) and the OpenAPI document, embedded in the binary.
$(BUILD)/web_assets.c: scripts/embed_web.sh $(shell find web -type f 2>/dev/null) | $(BUILD)
	./scripts/embed_web.sh web > $@.tmp && mv $@.tmp $@

$(BUILD)/web_assets.o: $(BUILD)/web_assets.c src/http.h
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

# The main job on the bundled corpus: outline, ingest, searches, mandates, then the
# server on http://127.0.0.1:8080/ (scripts/run.sh; SERVE=0 stops before serving).
run: deps
	$(MAKE) mandat
	./scripts/run.sh ./mandat

# Every test; the last line of output is "N passed, N failed".
check: deps
	$(MAKE) mandat $(TEST_BIN)
	./tests/run.sh ./mandat $(TEST_BIN)

regen: mandat
	./tests/regen.sh ./mandat

bench: deps
	$(MAKE) mandat
	./bench/run.sh ./mandat

# The registry at scale (bench/search.sh): 40,000 synthetic resolutions ingested, then
# search latency against raw SQLite.  BENCH_FILES=4000 for a quicker run.
bench-registry: deps
	$(MAKE) mandat $(BUILD)/scale $(BUILD)/search_bench
	./bench/search.sh ./mandat $(BUILD)

$(BUILD)/scale $(BUILD)/search_bench: $(BUILD)/%: bench/%.c $(BUILD)/libmandat.a
	$(CC) $(WARN) -Wno-missing-field-initializers $(CFLAGS) $(CPPFLAGS) -o $@ $^ $(LDLIBS)

# Search snippets against FTS5's snippet() on any registry (tests/snippet_check.c; also run
# by tests/search.sh): build/snippet_check DB [QUERIES [HITS [SEED]]]
$(BUILD)/snippet_check: tests/snippet_check.c $(BUILD)/libmandat.a
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $^ $(LDLIBS)

ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# The whole suite with AddressSanitizer and UBSan (clang), objects in build/asan/.
asan: deps
	$(MAKE) BUILD=build/asan CC=clang CFLAGS="$(ASAN_FLAGS)" \
	  build/asan/main.o build/asan/libmandat.a build/asan/spec_runner
	clang $(ASAN_FLAGS) -o build/asan/mandat build/asan/main.o build/asan/libmandat.a $(LDLIBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ./tests/run.sh ./build/asan/mandat build/asan/spec_runner

# FUZZ_RUNS executions (default 1000000) of inputs up to FUZZ_MAXLEN bytes (default 4096,
# which keeps some 1000 executions a second); seeds: the corpus and tests/data.  A crash
# is written to build/fuzz/crash-*; copy it to tests/fuzz/crashes/ (tests/cli.sh runs it).
fuzz: deps
	$(MAKE) BUILD=build/fuzz CC=clang \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
	  build/fuzz/libmandat.a
	clang -O1 -g -fsanitize=fuzzer,address,undefined $(CPPFLAGS) tests/fuzz_parse.c \
	  build/fuzz/libmandat.a $(LDLIBS) -o build/fuzz/fuzz_parse
	mkdir -p build/fuzz/corpus tests/fuzz/crashes && \
	cp corpus/*.txt tests/data/html/*.html tests/data/pdf/*.pdf build/fuzz/corpus/ && \
	./build/fuzz/fuzz_parse -runs=$${FUZZ_RUNS:-1000000} -max_len=$${FUZZ_MAXLEN:-4096} -timeout=10 \
	  -artifact_prefix=build/fuzz/ build/fuzz/corpus tests/fuzz/crashes

format:
	clang-format -i src/*.c src/*.h include/*.h tests/*.c

clean:
	rm -rf build mandat
