/* http.c: the server of `mandat serve`.  libmicrohttpd with a pool of worker
 * threads (each polls its share of connections; keep-alive), one static route table,
 * one read-only SQLite connection per worker thread, JSON errors for every failure,
 * a response cache for the read-only API (invalidated when the registry changes),
 * and the web interface served from files embedded in the binary: no path ever
 * reaches the file system, so no URL can name a file outside web/. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dynload.h"
#include "fts.h"
#include "http.h"
#include "render.h"

#ifndef MANDAT_MHD_SONAME
#define MANDAT_MHD_SONAME "libmicrohttpd.so.12"
#endif

/* libmicrohttpd's functions, opened when the server starts (dynload.h): the
 * other commands never load it nor GnuTLS behind it. */
static struct {
  struct MHD_Daemon *(*start_daemon)(unsigned, uint16_t, MHD_AcceptPolicyCallback, void *,
                                     MHD_AccessHandlerCallback, void *, ...);
  void (*stop_daemon)(struct MHD_Daemon *);
  const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *, enum MHD_DaemonInfoType, ...);
  struct MHD_Response *(*create_response_from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
  enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
  enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
  void (*destroy_response)(struct MHD_Response *);
  const char *(*lookup_connection_value)(struct MHD_Connection *, enum MHD_ValueKind, const char *);
  int (*get_connection_values)(struct MHD_Connection *, enum MHD_ValueKind, MHD_KeyValueIterator,
                               void *);
} mhd;

static bool mhd_load(char *why, size_t whylen) {
  const dyn_sym syms[] = {
      {"MHD_start_daemon", &mhd.start_daemon},
      {"MHD_stop_daemon", &mhd.stop_daemon},
      {"MHD_get_daemon_info", &mhd.get_daemon_info},
      {"MHD_create_response_from_buffer", &mhd.create_response_from_buffer},
      {"MHD_add_response_header", &mhd.add_response_header},
      {"MHD_queue_response", &mhd.queue_response},
      {"MHD_destroy_response", &mhd.destroy_response},
      {"MHD_lookup_connection_value", &mhd.lookup_connection_value},
      {"MHD_get_connection_values", &mhd.get_connection_values},
  };
  return dyn_open(MANDAT_MHD_SONAME, syms, sizeof syms / sizeof *syms, why, whylen);
}

/* Limits, each with its reason:
 * - MAX_URI: the longest request target we parse.  Every query parameter is capped at
 *   1 KiB (api.c) and there are about ten, so 8 KiB is ample for a real request;
 *   beyond it the client gets 414.
 * - MAX_BODY: the API is read-only and takes no body; a small one (a client that
 *   always sends a form) is drained, anything larger is refused with 413 before it
 *   is read.
 * - CONN_MEMORY: microhttpd's per-connection pool holds the request line and headers;
 *   64 KiB keeps an over-long URI in reach of our JSON 414 instead of microhttpd's.
 * - CONN_LIMIT: file descriptors; far above what a desk of users or wrk needs.
 * - CONN_TIMEOUT: idle keep-alive connections are closed after 30 s so they do not
 *   hold descriptors and pool slots forever.
 * - MAX_THREADS: SQLite reads are CPU-bound; more workers than a few per core only
 *   add context switches. */
#define MAX_URI 8192
#define MAX_BODY 65536
#define CONN_MEMORY (64 * 1024)
#define CONN_LIMIT 1024
#define CONN_TIMEOUT 30
#define MAX_THREADS 64

/* Limits of the response cache, each with its reason:
 * - CACHE_ENTRIES: the hot set is the dashboard, the facet clicks and the searches a
 *   desk of users repeats: hundreds of distinct requests, not thousands.
 * - CACHE_BYTES: 64 MiB of cached bodies at most, a small share of the memory of the
 *   smallest machine we serve from; with CACHE_ENTRIES it bounds the cache twice.
 * - CACHE_MAX_BODY: a JSON page of 200 rows stays under about 1 MiB (api.c); larger
 *   answers (CSV downloads, up to some 40 MiB) are one-off and would evict the hot
 *   set, so they are never cached.
 * - CACHE_BUCKETS: a power of two, twice CACHE_ENTRIES, so hash chains stay short. */
#define CACHE_ENTRIES 1000
#define CACHE_BYTES ((size_t)64 << 20)
#define CACHE_MAX_BODY ((size_t)1 << 20)
#define CACHE_BUCKETS 2048

static void page_index(const mandat_http_req *req, mandat_http_reply *rep);
static void page_static(const mandat_http_req *req, mandat_http_reply *rep);

/* The route table: every URL the server answers.  tests/http.sh checks each /api/
 * row against the OpenAPI document (mandat serve --routes prints this table). */
const mandat_http_route mandat_http_routes[] = {
    {"/api/search", false, mandat_api_search, "full-text search of paragraphs, with filters and facets"},
    {"/api/resolutions", false, mandat_api_resolutions, "resolutions and other entities, paged"},
    {"/api/resolutions/", true, mandat_api_resolution, "one resolution by symbol (slashes allowed)"},
    {"/api/resolution", false, mandat_api_resolution, "one resolution by ?symbol= or ?id="},
    {"/api/paragraphs", false, mandat_api_paragraphs, "paragraphs of a resolution with their mandates"},
    {"/api/mandates", false, mandat_api_mandates, "mandates with filters; ?format=csv downloads"},
    {"/api/citations", false, mandat_api_citations, "what a resolution cites and who cites it"},
    {"/api/diff", false, mandat_api_diff, "paragraph alignment between two versions"},
    {"/api/lineage", false, mandat_api_lineage, "where each paragraph of a series first appeared"},
    {"/api/stats", false, mandat_api_stats, "counts by organ, year, force, addressee; deadlines"},
    {"/api/openapi.json", false, mandat_api_openapi, "this API as an OpenAPI 3 document"},
    {"/", false, page_index, "web interface: search"},
    {"/resolution", false, page_index, "web interface: one resolution"},
    {"/mandates", false, page_index, "web interface: mandates table"},
    {"/compare", false, page_index, "web interface: version comparison"},
    {"/dashboard", false, page_index, "web interface: charts"},
    {"/static/", true, page_static, "web interface: embedded files"},
    {NULL, false, NULL, NULL}};

/* ------------------------------------------------------------ replies */

void mandat_http_error(mandat_http_reply *rep, int status, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  buf_clear(&rep->body);
  rep->static_body = NULL;
  rep->disposition = NULL;
  rep->status = status;
  rep->type = "application/json";
  buf_printf(&rep->body, "{\"error\":{\"code\":%d,\"message\":", status);
  json_str(&rep->body, msg);
  buf_puts(&rep->body, "}}\n");
}

/* ------------------------------------------------------ static pages */

static const mandat_web_asset *asset(const char *name) {
  for (const mandat_web_asset *a = mandat_web_assets; a->name; a++)
    if (strcmp(a->name, name) == 0) return a;
  return NULL;
}

static void send_asset(mandat_http_reply *rep, const mandat_web_asset *a) {
  rep->type = a->type;
  rep->static_body = a->data;
  rep->static_len = a->len;
}

static void page_index(const mandat_http_req *req, mandat_http_reply *rep) {
  (void)req;
  const mandat_web_asset *a = asset("index.html");
  if (!a) mandat_http_error(rep, 404, "the web interface is not built into this binary");
  else send_asset(rep, a);
}

static void page_static(const mandat_http_req *req, mandat_http_reply *rep) {
  const mandat_web_asset *a = strcmp(req->rest, "index.html") ? asset(req->rest) : NULL;
  if (!a) mandat_http_error(rep, 404, "no such file");
  else send_asset(rep, a);
}

/* ------------------------------------------------- per-thread registry */

typedef struct {
  sqlite3 *db;
  sqlite3_stmt *stmts[MANDAT_HTTP_STMTS];
  sqlite3_stmt *data_version; /* PRAGMA data_version, for the cache's generation */
  sqlite3_int64 seen;         /* its value at this worker's last request */
} worker;

static const char *db_path;
static _Thread_local worker *self;
static pthread_mutex_t workers_lock = PTHREAD_MUTEX_INITIALIZER;
static worker **workers;
static size_t n_workers, cap_workers;

/* Open a read-only connection with mandat's tokenizer registered.  Returns NULL
 * (closing what was opened) on failure. */
static sqlite3 *open_ro(const char *path, char *err, size_t errlen) {
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK) rc = mandat_fts_register(db);
  if (rc == SQLITE_OK) sqlite3_busy_timeout(db, 2000); /* an ingest's checkpoint is brief */
  if (rc != SQLITE_OK) {
    snprintf(err, errlen, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    return NULL;
  }
  return db;
}

/* ------------------------------------------------------- response cache
 *
 * The API is read-only, so an answer depends only on the request and on the registry.
 * The cache maps "GET", the decoded path and the decoded query parameters (sorted by
 * name; parameters of one name keep their order, since handlers read the first) to a
 * finished microhttpd response: status 200, JSON or CSV, headers and body.
 *
 * Invalidation: PRAGMA data_version.  In WAL mode an ingest in another process does
 * not move the file header's change counter, but every connection's data_version
 * changes when any other connection commits.  Each worker reads its own connection's
 * value before it looks up the cache; when it changed, the worker bumps `generation`,
 * a global counter.  An entry carries the generation read before its handler ran,
 * and is used only while the generation is still the same.  Why that is enough: a
 * stale entry was computed from a snapshot older than some commit C, so its
 * generation was read before C; the first request after C on any worker either sees
 * its connection's data_version change, or was served by a worker that had already
 * seen it (and bumped after C), or by a worker whose connection opened after C
 * (opening bumps too): in each case the generation moved past the entry's.  The check
 * costs one PRAGMA per API request (a read of the WAL index, no I/O).  stat() of the
 * database and its -wal file was the other way: it needs a polling interval (a stale
 * window), and a -wal file rewritten from its start within one tick of the kernel's
 * coarse clock keeps its size and mtime.  The price here: each worker bumps once per
 * change it notices, so after an ingest an entry may be refilled once per worker.
 *
 * Eviction: LRU, one mutex.  The lock is held for a hash lookup, a few pointer moves
 * and MHD_queue_response; a hit never copies the body.  On two cores a clock or
 * sharded locks would save nothing measurable, and LRU keeps exactly the hot set.
 *
 * Ownership at the microhttpd boundary: an entry holds one reference to an
 * MHD_Response made with MHD_RESPMEM_MUST_FREE (microhttpd owns the body and frees it
 * with the last reference).  A hit queues that response while the cache lock is held:
 * MHD_queue_response takes microhttpd's own reference (counted under the response's
 * mutex), so eviction (MHD_destroy_response, dropping the cache's reference) never
 * frees a body still being sent.  The request that fills an entry gets its own
 * response, copied from the same bytes (MHD_RESPMEM_MUST_COPY), marked X-Cache: miss. */

typedef struct entry {
  struct entry *chain;        /* next in the hash bucket */
  struct entry *prev, *next;  /* LRU list: cache.head is the most recent */
  struct MHD_Response *resp;  /* one reference, the cache's */
  unsigned long gen;          /* generation it was computed in */
  uint64_t hash;
  size_t size; /* body + key, counted against CACHE_BYTES */
  size_t keylen;
  char key[];
} entry;

static struct {
  pthread_mutex_t lock;
  bool on;
  entry *buckets[CACHE_BUCKETS];
  entry *head, *tail;
  size_t n, bytes;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static atomic_ulong generation;

/* What one request does with the cache: key and generation when it may be cached. */
typedef struct {
  bool on;            /* a GET of an /api/ route with the cache enabled */
  mandat_buf key;     /* owned; freed by on_request */
  unsigned long gen;
  uint64_t hash;
  bool hit;           /* answered from the cache: ret is microhttpd's answer */
  enum MHD_Result ret;
} lookup;

static uint64_t fnv1a(const char *s, size_t n) {
  uint64_t h = 1469598103934665603u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
  return h;
}

/* Unlink e from its bucket and the LRU list and drop the cache's reference.  The
 * caller holds the lock. */
static void cache_drop(entry *e) {
  entry **p = &cache.buckets[e->hash & (CACHE_BUCKETS - 1)];
  while (*p != e) p = &(*p)->chain;
  *p = e->chain;
  if (e->prev) e->prev->next = e->next;
  else cache.head = e->next;
  if (e->next) e->next->prev = e->prev;
  else cache.tail = e->prev;
  cache.n--, cache.bytes -= e->size;
  mhd.destroy_response(e->resp);
  free(e);
}

static entry *cache_find(const lookup *lk) {
  for (entry *e = cache.buckets[lk->hash & (CACHE_BUCKETS - 1)]; e; e = e->chain)
    if (e->hash == lk->hash && e->keylen == lk->key.len && memcmp(e->key, lk->key.data, e->keylen) == 0)
      return e;
  return NULL;
}

/* On an entry of lk's generation: queue its response on conn (with the lock held, see
 * above), make it the most recent, set lk->hit and lk->ret.  An older entry is stale
 * and dropped; a newer one (made after another worker saw a change this request has
 * not) is left for the requests of its generation. */
static void cache_send(struct MHD_Connection *conn, lookup *lk) {
  pthread_mutex_lock(&cache.lock);
  entry *e = cache_find(lk);
  if (e && e->gen < lk->gen) {
    cache_drop(e);
  } else if (e && e->gen == lk->gen) {
    if (e != cache.head) {
      e->prev->next = e->next;
      if (e->next) e->next->prev = e->prev;
      else cache.tail = e->prev;
      e->prev = NULL, e->next = cache.head;
      cache.head->prev = e, cache.head = e;
    }
    lk->ret = mhd.queue_response(conn, MHD_HTTP_OK, e->resp);
    lk->hit = true;
  }
  pthread_mutex_unlock(&cache.lock);
}

/* Store resp (the cache takes the reference) under lk's key, unless the registry has
 * changed since lk's generation was read: then the answer may already be stale. */
static void cache_put(const lookup *lk, struct MHD_Response *resp, size_t body_len) {
  entry *e = xmalloc(sizeof *e + lk->key.len);
  memcpy(e->key, lk->key.data, lk->key.len);
  e->keylen = lk->key.len, e->hash = lk->hash, e->gen = lk->gen, e->resp = resp;
  e->size = body_len + lk->key.len + sizeof *e;
  pthread_mutex_lock(&cache.lock);
  if (lk->gen != atomic_load(&generation)) {
    mhd.destroy_response(resp);
    free(e);
  } else {
    entry *old = cache_find(lk); /* another worker filled it meanwhile */
    if (old) cache_drop(old);
    e->chain = cache.buckets[e->hash & (CACHE_BUCKETS - 1)];
    cache.buckets[e->hash & (CACHE_BUCKETS - 1)] = e;
    e->prev = NULL, e->next = cache.head;
    if (cache.head) cache.head->prev = e;
    else cache.tail = e;
    cache.head = e;
    cache.n++, cache.bytes += e->size;
    while (cache.n > CACHE_ENTRIES || cache.bytes > CACHE_BYTES) cache_drop(cache.tail);
  }
  pthread_mutex_unlock(&cache.lock);
}

/* After the daemon has stopped: drop every entry. */
static void cache_clear(void) {
  while (cache.tail) cache_drop(cache.tail);
}

/* The registry's generation as seen from worker w: bumped when w's connection's
 * data_version moved since w's last request (or cannot be read: then nothing cached
 * before can be trusted). */
static unsigned long current_generation(worker *w) {
  sqlite3_int64 v = w->seen - 1;
  if (sqlite3_step(w->data_version) == SQLITE_ROW) v = sqlite3_column_int64(w->data_version, 0);
  sqlite3_reset(w->data_version);
  if (v != w->seen) {
    w->seen = v;
    atomic_fetch_add(&generation, 1);
  }
  return atomic_load(&generation);
}

typedef struct {
  const char *name, *value;
  size_t seq;
} arg;

typedef struct {
  arg *v;
  size_t n, cap;
} args;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  args *a = cls;
  VEC_GROW(a->v, a->n, a->cap);
  a->v[a->n] = (arg){key, value, a->n};
  a->n++;
  return MHD_YES;
}

static int arg_cmp(const void *x, const void *y) {
  const arg *a = x, *b = y;
  int c = strcmp(a->name, b->name);
  return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* The cache key of a GET of path: "GET", then the path and each parameter sorted by
 * name, every string length-prefixed (decoded values may hold '&', '=' or any byte
 * but NUL); a parameter without '=' is marked apart from one with an empty value. */
static void cache_key(struct MHD_Connection *conn, const char *path, lookup *lk) {
  args a = {0};
  mhd.get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &a);
  if (a.n > 1) qsort(a.v, a.n, sizeof *a.v, arg_cmp);
  buf_printf(&lk->key, "GET %zu:%s", strlen(path), path);
  for (size_t i = 0; i < a.n; i++) {
    buf_printf(&lk->key, "&%zu:%s", strlen(a.v[i].name), a.v[i].name);
    if (a.v[i].value) buf_printf(&lk->key, "=%zu:%s", strlen(a.v[i].value), a.v[i].value);
  }
  free(a.v);
  lk->hash = fnv1a(lk->key.data, lk->key.len);
}

/* This thread's worker, opened on first use; NULL when the registry cannot be opened.
 * A new connection may see a registry newer than what the cache holds: the
 * generation moves. */
static worker *this_worker(void) {
  if (self) return self;
  char err[256];
  sqlite3 *db = open_ro(db_path, err, sizeof err);
  if (!db) return NULL;
  worker *w = xcalloc(1, sizeof *w);
  w->db = db;
  if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &w->data_version, NULL) != SQLITE_OK) {
    fprintf(stderr, "mandat: serve: %s\n", sqlite3_errmsg(db));
    sqlite3_close(db);
    free(w);
    return NULL;
  }
  current_generation(w);
  atomic_fetch_add(&generation, 1);
  pthread_mutex_lock(&workers_lock);
  VEC_GROW(workers, n_workers, cap_workers);
  workers[n_workers++] = w;
  pthread_mutex_unlock(&workers_lock);
  return self = w;
}

/* After the daemon has stopped (no worker thread left): finalize the statements each
 * worker prepared (only those: FTS5 owns and finalizes its own), close its
 * connection, free the workers. */
static void close_workers(void) {
  for (size_t i = 0; i < n_workers; i++) {
    for (int k = 0; k < MANDAT_HTTP_STMTS; k++) sqlite3_finalize(workers[i]->stmts[k]);
    sqlite3_finalize(workers[i]->data_version);
    sqlite3_close(workers[i]->db);
    free(workers[i]);
  }
  free(workers);
  workers = NULL, n_workers = cap_workers = 0;
}

/* ------------------------------------------------------------ requests */

const char *mandat_http_param(const mandat_http_req *req, const char *name) {
  return mhd.lookup_connection_value((struct MHD_Connection *)req->conn, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result sum_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  size_t *n = cls;
  *n += strlen(key) + (value ? strlen(value) : 0) + 2;
  return MHD_YES;
}

/* A path no route may see: "..", "." or empty segments, backslashes.  Embedded files
 * make traversal harmless anyway; refusing such paths keeps the answer plain. */
static bool bad_path(const char *p) {
  if (p[0] != '/' || strchr(p, '\\')) return true;
  for (const unsigned char *c = (const unsigned char *)p; *c; c++)
    if (*c < 0x20 || *c == 0x7f) return true;
  for (const char *s = p; (s = strchr(s, '/')); s++) {
    if (s[1] == '/') return true;
    if (s[1] == '.' && (s[2] == '/' || s[2] == '\0')) return true;
    if (s[1] == '.' && s[2] == '.' && (s[3] == '/' || s[3] == '\0')) return true;
  }
  return false;
}

static int hexval(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* microhttpd's unescaping of the path and of each query argument, in place: %XX
 * decoded ('+' in arguments is done before, by microhttpd), except that %00 becomes
 * \x01, so an encoded NUL cannot cut a path or a value short
 * ("/static/app.js%00.png") but is refused as a control character. */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s) {
  (void)cls, (void)conn;
  char *w = s;
  for (const char *r = s; *r; r++) {
    int hi, lo;
    if (*r == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0) {
      *w++ = (char)(hi * 16 + lo ? hi * 16 + lo : 1);
      r += 2;
    } else {
      *w++ = *r;
    }
  }
  *w = '\0';
  return (size_t)(w - s);
}

static const mandat_http_route *route_of(const char *path, const char **rest) {
  for (const mandat_http_route *r = mandat_http_routes; r->pattern; r++) {
    size_t n = strlen(r->pattern);
    if (r->prefix ? strncmp(path, r->pattern, n) == 0 : strcmp(path, r->pattern) == 0) {
      *rest = path + (r->prefix ? n : strlen(path));
      return r;
    }
  }
  return NULL;
}

/* The headers of every reply; X-Cache (hit or miss) when xcache is not NULL. */
static void add_headers(struct MHD_Response *resp, const mandat_http_reply *rep, bool allow,
                        const char *xcache) {
  mhd.add_response_header(resp, "Content-Type", rep->type ? rep->type : "application/json");
  mhd.add_response_header(resp, "X-Content-Type-Options", "nosniff");
  mhd.add_response_header(resp, "Cache-Control", "no-cache");
  if (rep->type && strncmp(rep->type, "text/html", 9) == 0)
    mhd.add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                            "base-uri 'none'; frame-ancestors 'none'");
  if (rep->disposition) mhd.add_response_header(resp, "Content-Disposition", rep->disposition);
  if (allow) mhd.add_response_header(resp, "Allow", "GET, HEAD");
  if (xcache) mhd.add_response_header(resp, "X-Cache", xcache);
}

/* Only a 200 JSON or CSV answer of at most CACHE_MAX_BODY bytes is cached. */
static bool cacheable(const mandat_http_reply *rep) {
  return rep->status == 200 && !rep->static_body && rep->body.len <= CACHE_MAX_BODY && rep->type &&
         (strncmp(rep->type, "application/json", 16) == 0 || strncmp(rep->type, "text/csv", 8) == 0);
}

/* Queue rep on conn; with lk->on, mark it X-Cache: miss and, when cacheable, store a
 * second response over the same bytes in the cache (ownership: see the cache). */
static enum MHD_Result send_reply(struct MHD_Connection *conn, mandat_http_reply *rep, bool allow,
                                  const lookup *lk) {
  struct MHD_Response *resp;
  if (rep->static_body) {
    resp = mhd.create_response_from_buffer(rep->static_len, (void *)rep->static_body,
                                           MHD_RESPMEM_PERSISTENT);
  } else if (lk && lk->on && cacheable(rep)) {
    size_t len = rep->body.len;
    char *data = buf_detach(&rep->body);
    if (!data) data = xstrdup("");
    resp = mhd.create_response_from_buffer(len, data, MHD_RESPMEM_MUST_COPY);
    struct MHD_Response *keep = mhd.create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (keep) {
      add_headers(keep, rep, false, "hit");
      cache_put(lk, keep, len);
    } else {
      free(data);
    }
  } else {
    size_t len = rep->body.len;
    char *data = buf_detach(&rep->body); /* microhttpd frees it (MUST_FREE) */
    resp = mhd.create_response_from_buffer(len, data ? data : xstrdup(""), MHD_RESPMEM_MUST_FREE);
  }
  if (!resp) return MHD_NO;
  add_headers(resp, rep, allow, lk && lk->on ? "miss" : NULL);
  enum MHD_Result ret = mhd.queue_response(conn, (unsigned)rep->status, resp);
  mhd.destroy_response(resp);
  return ret;
}

/* Route, check and run one request; fills rep.  *allow: answer with an Allow header.
 * A GET of an /api/ route looks in the cache first: on a hit the answer is queued
 * here (lk->hit) and rep is left alone. */
static void dispatch(struct MHD_Connection *conn, const char *url, const char *method,
                     mandat_http_reply *rep, bool *allow, lookup *lk) {
  size_t uri = strlen(url);
  mhd.get_connection_values(conn, MHD_GET_ARGUMENT_KIND, sum_arg, &uri);
  if (uri > MAX_URI) {
    mandat_http_error(rep, 414, "request URI longer than %d bytes", MAX_URI);
    return;
  }
  if (bad_path(url)) {
    mandat_http_error(rep, 400, "bad path");
    return;
  }
  const char *rest = NULL;
  const mandat_http_route *r = route_of(url, &rest);
  if (!r) {
    mandat_http_error(rep, 404, "no such page or API route");
    return;
  }
  if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
    *allow = true;
    mandat_http_error(rep, 405, "method %s not allowed: the API is read-only (GET, HEAD)",
                      strlen(method) < 16 ? method : "?");
    return;
  }
  mandat_http_req req = {conn, url, rest, NULL, NULL};
  if (strncmp(url, "/api/", 5) == 0) {
    worker *w = this_worker();
    if (!w) {
      mandat_http_error(rep, 503, "the registry cannot be opened");
      return;
    }
    req.db = w->db, req.stmts = w->stmts;
    if (cache.on && strcmp(method, "GET") == 0) {
      lk->on = true;
      lk->gen = current_generation(w);
      cache_key(conn, url, lk);
      cache_send(conn, lk);
      if (lk->hit) return;
    }
  }
  r->handler(&req, rep);
}

/* Per-request state, kept only for a request that sends a body: bytes seen so far. */
typedef struct {
  size_t body;
} upload;

static int no_body; /* address used as the state of a request without a body */

/* microhttpd calls this first when the headers are in (we only set up state: a
 * reply queued this early would make microhttpd close the connection, losing
 * keep-alive), then once per piece of body, then with *data_size 0: the reply. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **state) {
  (void)cls, (void)version, (void)data;
  mandat_http_reply rep = {.status = 200, .type = "application/json"};
  bool allow = false;
  if (!*state) {
    const char *cl = mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    unsigned long long len = cl ? strtoull(cl, NULL, 10) : 0;
    if (len > MAX_BODY) { /* refused before a byte of it is read */
      *state = &no_body;
      mandat_http_error(&rep, 413, "request body larger than %d bytes", MAX_BODY);
      return send_reply(conn, &rep, false, NULL);
    }
    *state = (len || te) ? xcalloc(1, sizeof(upload)) : (void *)&no_body; /* freed in on_completed */
    return MHD_YES;
  }
  if (*data_size) {
    upload *u = *state == &no_body ? NULL : *state;
    size_t n = *data_size;
    *data_size = 0;
    if (!u || (u->body += n) <= MAX_BODY) return MHD_YES;
    mandat_http_error(&rep, 413, "request body larger than %d bytes", MAX_BODY);
    return send_reply(conn, &rep, false, NULL);
  }
  lookup lk = {0};
  dispatch(conn, url, method, &rep, &allow, &lk);
  enum MHD_Result ret = lk.hit ? lk.ret : send_reply(conn, &rep, allow, &lk);
  buf_free(&lk.key);
  return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls, (void)conn, (void)toe;
  if (*state && *state != &no_body) free(*state);
  *state = NULL;
}

/* ------------------------------------------------------------- serving */

int mandat_http_serve(const mandat_http_options *opt) {
  int status = 1;
  struct MHD_Daemon *d = NULL;
  char err[256];
  const char *bind = opt->bind ? opt->bind : "127.0.0.1";
  sqlite3 *probe = open_ro(opt->db_path, err, sizeof err);
  if (probe) {
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(probe, "SELECT count(*) FROM entities", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW)
      snprintf(err, sizeof err, "not a mandat registry (run `mandat ingest` first)");
    else
      err[0] = '\0';
    sqlite3_finalize(s);
    sqlite3_close(probe);
  }
  if (!probe || err[0]) {
    fprintf(stderr, "mandat: serve: %s: %s\n", opt->db_path, err);
    return 1;
  }
  char why[200];
  if (!mhd_load(why, sizeof why)) {
    fprintf(stderr, "mandat: serve: %s (Debian: libmicrohttpd12)\n", why);
    return 1;
  }
  db_path = opt->db_path;
  cache.on = !opt->no_cache;

  struct sockaddr_in a4 = {0};
  struct sockaddr_in6 a6 = {0};
  struct sockaddr *sa;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
  if (inet_pton(AF_INET, bind, &a4.sin_addr) == 1) {
    a4.sin_family = AF_INET, a4.sin_port = htons((uint16_t)opt->port);
    sa = (struct sockaddr *)&a4;
  } else if (inet_pton(AF_INET6, bind, &a6.sin6_addr) == 1) {
    a6.sin6_family = AF_INET6, a6.sin6_port = htons((uint16_t)opt->port);
    sa = (struct sockaddr *)&a6;
    flags |= MHD_USE_IPv6;
  } else {
    fprintf(stderr, "mandat: serve: --bind %s: not an IPv4 or IPv6 address\n", bind);
    return 2;
  }
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  int threads = opt->threads > 0 ? opt->threads : (int)(cpus > 0 ? 2 * cpus : 2);
  if (threads > MAX_THREADS) threads = MAX_THREADS;

  /* The workers inherit this mask: SIGINT and SIGTERM are taken by sigwait below. */
  sigset_t sigs, old;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, &old);
  signal(SIGPIPE, SIG_IGN);

  d = mhd.start_daemon(flags, (uint16_t)opt->port, NULL, NULL, on_request, NULL,
                       MHD_OPTION_SOCK_ADDR, sa,
                       MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
                       MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_LIMIT,
                       MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT,
                       MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
                       MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                       MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
                       MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "mandat: serve: cannot listen on %s port %d (in use, or not allowed)\n", bind,
            opt->port);
    goto done;
  }
  const union MHD_DaemonInfo *info = mhd.get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  int port = info ? info->port : opt->port;
  printf("mandat: serving %s at http://%s%s%s:%d/  (Ctrl-C stops)\n", opt->db_path,
         sa->sa_family == AF_INET6 ? "[" : "", bind, sa->sa_family == AF_INET6 ? "]" : "", port);
  fflush(stdout);

  int sig = 0;
  sigwait(&sigs, &sig);
  fprintf(stderr, "mandat: serve: %s, stopping\n", sig == SIGINT ? "interrupted" : "terminated");
  status = 0;
done:
  if (d) mhd.stop_daemon(d);
  cache_clear();
  close_workers();
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return status;
}
