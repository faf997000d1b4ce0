/* http.c: the server of `mandat serve`.  libmicrohttpd with a pool of worker
 * threads (each polls its share of connections; keep-alive), one static route table,
 * one read-only SQLite connection per worker thread, JSON errors for every failure,
 * and the web interface served from files embedded in the binary: no path ever
 * reaches the file system, so no URL can name a file outside web/. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fts.h"
#include "http.h"
#include "render.h"

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

/* This thread's worker, opened on first use; NULL when the registry cannot be opened. */
static worker *this_worker(void) {
  if (self) return self;
  char err[256];
  sqlite3 *db = open_ro(db_path, err, sizeof err);
  if (!db) return NULL;
  worker *w = xcalloc(1, sizeof *w);
  w->db = db;
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
    sqlite3_close(workers[i]->db);
    free(workers[i]);
  }
  free(workers);
  workers = NULL, n_workers = cap_workers = 0;
}

/* ------------------------------------------------------------ requests */

const char *mandat_http_param(const mandat_http_req *req, const char *name) {
  return MHD_lookup_connection_value((struct MHD_Connection *)req->conn, MHD_GET_ARGUMENT_KIND, name);
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

static enum MHD_Result send_reply(struct MHD_Connection *conn, mandat_http_reply *rep, bool allow) {
  struct MHD_Response *resp;
  if (rep->static_body) {
    resp = MHD_create_response_from_buffer(rep->static_len, (void *)rep->static_body,
                                           MHD_RESPMEM_PERSISTENT);
  } else {
    size_t len = rep->body.len;
    char *data = buf_detach(&rep->body); /* microhttpd frees it (MUST_FREE) */
    resp = MHD_create_response_from_buffer(len, data ? data : xstrdup(""), MHD_RESPMEM_MUST_FREE);
  }
  if (!resp) return MHD_NO;
  MHD_add_response_header(resp, "Content-Type", rep->type ? rep->type : "application/json");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "Cache-Control", "no-cache");
  if (rep->type && strncmp(rep->type, "text/html", 9) == 0)
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                            "base-uri 'none'; frame-ancestors 'none'");
  if (rep->disposition) MHD_add_response_header(resp, "Content-Disposition", rep->disposition);
  if (allow) MHD_add_response_header(resp, "Allow", "GET, HEAD");
  enum MHD_Result ret = MHD_queue_response(conn, (unsigned)rep->status, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* Route, check and run one request; fills rep.  *allow: answer with an Allow header. */
static void dispatch(struct MHD_Connection *conn, const char *url, const char *method,
                     mandat_http_reply *rep, bool *allow) {
  size_t uri = strlen(url);
  MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, sum_arg, &uri);
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
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    unsigned long long len = cl ? strtoull(cl, NULL, 10) : 0;
    if (len > MAX_BODY) { /* refused before a byte of it is read */
      *state = &no_body;
      mandat_http_error(&rep, 413, "request body larger than %d bytes", MAX_BODY);
      return send_reply(conn, &rep, false);
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
    return send_reply(conn, &rep, false);
  }
  dispatch(conn, url, method, &rep, &allow);
  return send_reply(conn, &rep, allow);
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
  db_path = opt->db_path;

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

  d = MHD_start_daemon(flags, (uint16_t)opt->port, NULL, NULL, on_request, NULL,
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
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  int port = info ? info->port : opt->port;
  printf("mandat: serving %s at http://%s%s%s:%d/  (Ctrl-C stops)\n", opt->db_path,
         sa->sa_family == AF_INET6 ? "[" : "", bind, sa->sa_family == AF_INET6 ? "]" : "", port);
  fflush(stdout);

  int sig = 0;
  sigwait(&sigs, &sig);
  fprintf(stderr, "mandat: serve: %s, stopping\n", sig == SIGINT ? "interrupted" : "terminated");
  status = 0;
done:
  if (d) MHD_stop_daemon(d);
  close_workers();
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return status;
}
