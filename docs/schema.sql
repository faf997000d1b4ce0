-- mandat registry schema, version 2 (SQLite).  src/store.c holds the same
-- statements as its migrations to versions 1 and 2 and creates or migrates registries;
-- tests/store.sh checks that both define the same tables, columns and indexes;
-- docs/registry.md explains it.  Every child row goes with its document (ON
-- DELETE CASCADE); a document is written in one transaction, so a registry never
-- holds half a document.

CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);                                            -- ('schema_version', '2')

-- One row per ingested file version.  The same content (sha256) is never stored
-- twice; a changed file at the same path becomes a new version, the old kept.
CREATE TABLE IF NOT EXISTS documents (
  id          INTEGER PRIMARY KEY,
  file        TEXT NOT NULL,                  -- path as given to ingest
  sha256      TEXT NOT NULL UNIQUE,
  format      TEXT NOT NULL,                  -- text | markdown | html | pdf
  language    TEXT,
  lines       INTEGER NOT NULL,
  bytes       INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1,     -- 1, 2, … per file path
  current     INTEGER NOT NULL DEFAULT 1,     -- 0 once a newer version exists
  ingested_at TEXT NOT NULL                   -- ISO 8601 UTC
);
CREATE INDEX IF NOT EXISTS documents_file ON documents(file, version);
CREATE INDEX IF NOT EXISTS documents_current ON documents(current, id);

CREATE TABLE IF NOT EXISTS entities (
  id            INTEGER PRIMARY KEY,
  document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  local_id      TEXT NOT NULL,                -- R1, R2 … within the document
  kind          TEXT NOT NULL,                -- resolution | draft_resolution | decision | declaration | annex
  parent_id     INTEGER REFERENCES entities(id) ON DELETE CASCADE,
  symbol        TEXT,                         -- canonical: A/RES/80/229
  organ         TEXT,                         -- GA | ECOSOC | SC | HRC | CCPCJ | CND
  session       TEXT,
  adoption_date TEXT,                         -- ISO date
  year          INTEGER,                      -- of adoption_date, for filters
  meeting       TEXT,
  agenda_number TEXT,
  agenda_title  TEXT,
  title         TEXT,
  line_first    INTEGER NOT NULL,
  line_last     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entities_document ON entities(document_id);
CREATE INDEX IF NOT EXISTS entities_symbol ON entities(symbol);
CREATE INDEX IF NOT EXISTS entities_organ_year ON entities(organ, year);

CREATE TABLE IF NOT EXISTS paragraphs (
  id         INTEGER PRIMARY KEY,
  entity_id  INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('preamble', 'operative')),
  n          INTEGER NOT NULL,                -- rank in its part, 1-based
  number     TEXT,                            -- operative: as printed ("12 bis")
  opening    TEXT,                            -- preamble: opening formula
  text       TEXT NOT NULL,
  line_first INTEGER NOT NULL,
  line_last  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS paragraphs_entity ON paragraphs(entity_id, kind, n);

CREATE TABLE IF NOT EXISTS subparagraphs (
  paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
  n            INTEGER NOT NULL,
  label        TEXT NOT NULL,
  text         TEXT NOT NULL,
  line_first   INTEGER NOT NULL,
  line_last    INTEGER NOT NULL,
  PRIMARY KEY (paragraph_id, n)
);

CREATE TABLE IF NOT EXISTS paragraph_notes (
  paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
  note         INTEGER NOT NULL,
  PRIMARY KEY (paragraph_id, note)
);

CREATE TABLE IF NOT EXISTS footnotes (
  entity_id  INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  n          INTEGER NOT NULL,
  text       TEXT NOT NULL,
  line_first INTEGER NOT NULL,
  line_last  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS footnotes_entity ON footnotes(entity_id, n);

CREATE TABLE IF NOT EXISTS clauses (
  id           INTEGER PRIMARY KEY,
  paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
  n            INTEGER NOT NULL,              -- 1-based within the paragraph
  verb         TEXT NOT NULL,
  force        TEXT,                          -- decision | request | urge | … (parse-json.md)
  action       TEXT
);
CREATE INDEX IF NOT EXISTS clauses_paragraph ON clauses(paragraph_id, n);
CREATE INDEX IF NOT EXISTS clauses_force ON clauses(force);

CREATE TABLE IF NOT EXISTS clause_addressees (
  clause_id   INTEGER NOT NULL REFERENCES clauses(id) ON DELETE CASCADE,
  n           INTEGER NOT NULL,
  addressee   TEXT,                           -- vocabulary id (member-states, unodc …) or NULL
  name        TEXT,
  text        TEXT,
  PRIMARY KEY (clause_id, n)
);
CREATE INDEX IF NOT EXISTS clause_addressees_id ON clause_addressees(addressee);

CREATE TABLE IF NOT EXISTS clause_conditions (
  clause_id INTEGER NOT NULL REFERENCES clauses(id) ON DELETE CASCADE,
  n         INTEGER NOT NULL,
  text      TEXT NOT NULL,
  PRIMARY KEY (clause_id, n)
);

CREATE TABLE IF NOT EXISTS reporting (
  clause_id INTEGER PRIMARY KEY REFERENCES clauses(id) ON DELETE CASCADE,
  to_id     TEXT,
  session   TEXT,
  date      TEXT
);

CREATE TABLE IF NOT EXISTS citations (
  id               INTEGER PRIMARY KEY,
  entity_id        INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  n                INTEGER NOT NULL,          -- order of appearance
  kind             TEXT NOT NULL,             -- resolution | decision | document | treaty
  symbol           TEXT,                      -- canonical; the cited entity is found by it
  as_written       TEXT NOT NULL,
  in_ref           TEXT NOT NULL,             -- PP3, OP12, FN7
  paragraph_id     INTEGER REFERENCES paragraphs(id) ON DELETE CASCADE, -- NULL in a footnote
  line             INTEGER NOT NULL           -- first line of its paragraph or footnote
);
CREATE INDEX IF NOT EXISTS citations_entity ON citations(entity_id, n);
CREATE INDEX IF NOT EXISTS citations_symbol ON citations(symbol);

-- Full-text search over paragraph text, with mandat's tokenizer (src/fts.c):
-- case and accents folded (utf8proc), stems per language (Snowball), UN symbols
-- kept whole.  An external-content table: store.c keeps it in step.
CREATE VIRTUAL TABLE IF NOT EXISTS paragraphs_fts USING fts5(
  text, content='paragraphs', content_rowid='id', tokenize='mandat'
);
-- Ingest inserts each paragraph's index row itself; a deleted paragraph (a
-- document deleted, its rows going by cascade) leaves the index in the same
-- transaction through this trigger.
CREATE TRIGGER IF NOT EXISTS paragraphs_fts_delete AFTER DELETE ON paragraphs BEGIN
  INSERT INTO paragraphs_fts(paragraphs_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

-- Version 2: the alignment of successive versions of a resolution (src/links.c,
-- docs/lineage.md).  At ingest each entity is aligned with its nearest earlier and
-- later versions in its series (title similarity >= 0.6, or a citation either way
-- and >= 0.4), ordered by adoption date; a link between those two neighbours is
-- replaced by the two through the new one.  Written in the document's transaction.
CREATE TABLE IF NOT EXISTS entity_links (     -- which versions were aligned
  from_entity INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE, -- older
  to_entity   INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE, -- newer
  how         TEXT NOT NULL,                  -- title | citation
  PRIMARY KEY (from_entity, to_entity)
);
CREATE INDEX IF NOT EXISTS entity_links_to ON entity_links(to_entity);
-- Added and dropped paragraphs have no link to or from the other version.
CREATE TABLE IF NOT EXISTS paragraph_links (
  from_paragraph INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE, -- older version
  to_paragraph   INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE, -- newer version
  relation       TEXT NOT NULL CHECK (relation IN
                   ('unchanged', 'changed', 'moved', 'split', 'merged')),
  similarity     REAL NOT NULL,               -- align.c's, in [0, 1]
  edited         INTEGER NOT NULL,            -- 1 when the words differ
  PRIMARY KEY (from_paragraph, to_paragraph)
);
CREATE INDEX IF NOT EXISTS paragraph_links_to ON paragraph_links(to_paragraph);
