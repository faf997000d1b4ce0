/* http.h: `mandat serve`, a read-only HTTP server over the registry (libmicrohttpd):
 * one static route table, the JSON API handlers of api.c and the web interface of
 * web/, embedded in the binary at build time (scripts/embed_web.sh).
 *
 * Ownership, once for this module:
 *   - A handler fills a mandat_http_reply.  Its body buffer belongs to the reply;
 *     http.c hands the bytes to microhttpd with MHD_RESPMEM_MUST_FREE (microhttpd
 *     calls free() once the response is sent).  Static bodies (the embedded web
 *     files) go out with MHD_RESPMEM_PERSISTENT: they live as long as the program.
 *   - The response cache (http.c) keeps finished MHD_Response objects: each entry
 *     holds one reference, microhttpd owns the body (MHD_RESPMEM_MUST_FREE) and
 *     frees it with the last reference; a hit is queued under the cache's lock, so
 *     microhttpd's reference is taken before any eviction can drop the cache's.
 *   - Strings from mandat_http_param() belong to microhttpd and live until the
 *     handler returns.
 *   - The sqlite3 connection and the statement slots in a request belong to the
 *     worker thread (one read-only connection per thread, opened on first use,
 *     closed by mandat_http_serve() when the server stops).  A handler resets the
 *     statements it used before returning; it never finalizes or closes them. */
#ifndef MANDAT_HTTP_H
#define MANDAT_HTTP_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Statement slots per thread: api.c's static SQL table has fewer entries (it checks
 * this at compile time); each slot keeps one prepared statement for reuse. */
#define MANDAT_HTTP_STMTS 48

typedef struct mandat_http_req {
  void *conn;            /* struct MHD_Connection *, for mandat_http_param() */
  const char *path;      /* decoded path, e.g. "/api/resolutions/A/RES/80/229" */
  const char *rest;      /* for a prefix route: the path after the prefix ("" if none) */
  sqlite3 *db;           /* this thread's read-only connection */
  sqlite3_stmt **stmts;  /* this thread's MANDAT_HTTP_STMTS statement slots */
} mandat_http_req;

typedef struct {
  int status;                       /* HTTP status, 200 unless set */
  const char *type;                 /* Content-Type, static string */
  const char *disposition;          /* Content-Disposition or NULL, static string */
  mandat_buf body;                  /* owned by the reply (see above) */
  const unsigned char *static_body; /* or: bytes that outlive the program */
  size_t static_len;
} mandat_http_reply;

typedef void (*mandat_http_handler)(const mandat_http_req *req, mandat_http_reply *rep);

/* One row of the route table.  prefix: the pattern matches any path that starts with
 * it (the remainder is req->rest); else the path must equal it.  Every route answers
 * GET and HEAD; any other method gets 405 with an Allow header. */
typedef struct {
  const char *pattern;
  bool prefix;
  mandat_http_handler handler;
  const char *summary;
} mandat_http_route;

/* The route table, terminated by a row with a NULL pattern (http.c). */
extern const mandat_http_route mandat_http_routes[];

typedef struct {
  const char *db_path;
  const char *bind; /* IPv4 or IPv6 literal; default 127.0.0.1 */
  int port;         /* 0: pick a free port */
  int threads;      /* worker threads; 0: two per CPU */
  bool no_cache;    /* answer every API request afresh (no response cache) */
} mandat_http_options;

/* Start the server, print its URL on stdout, serve until SIGINT or SIGTERM, then
 * stop cleanly.  Returns a process exit status (0 after a clean stop, 1 when the
 * registry cannot be opened or the port cannot be bound); errors go to stderr. */
int mandat_http_serve(const mandat_http_options *opt);

/* The value of query parameter `name` (decoded), or NULL when absent. */
const char *mandat_http_param(const mandat_http_req *req, const char *name);

/* Replace the reply with a JSON error {"error":{"code":status,"message":…}}.  The
 * message is for people: never SQL text or internals. */
void mandat_http_error(mandat_http_reply *rep, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* An embedded web file (generated from web/ by scripts/embed_web.sh). */
typedef struct {
  const char *name; /* path under web/, e.g. "app.js" */
  const char *type; /* Content-Type */
  const unsigned char *data;
  size_t len;
} mandat_web_asset;

extern const mandat_web_asset mandat_web_assets[]; /* NULL name ends the table */

/* JSON API handlers (api.c). */
void mandat_api_search(const mandat_http_req *req, mandat_http_reply *rep);
void mandat_api_resolutions(const mandat_http_req *req, mandat_http_reply *rep);
void mandat_api_resolution(const mandat_http_req *req, mandat_http_reply *rep);
void mandat_api_paragraphs(const mandat_http_req *req, mandat_http_reply *rep);
void mandat_api_mandates(const mandat_http_req *req, mandat_http_reply *rep);
void mandat_api_citations(const mandat_http_req *req, mandat_http_reply *rep);
void mandat_api_diff(const mandat_http_req *req, mandat_http_reply *rep);
void mandat_api_lineage(const mandat_http_req *req, mandat_http_reply *rep);
void mandat_api_stats(const mandat_http_req *req, mandat_http_reply *rep);
void mandat_api_openapi(const mandat_http_req *req, mandat_http_reply *rep);

#endif
