extension Schema {
    /// What directory search reads: a row per HSDS service with its text folded (lower case, no
    /// accents) for full-text search and its filters; the places it is offered at. Full text is
    /// SQLite's FTS5 (the Porter stemmer over Unicode words) keyed by the row's `doc` number (its
    /// rowid there), or PostgreSQL's `english` text search over a stored `tsvector` with a GIN index.
    static let v25DirectorySearch = Migration(version: 25, name: "directory search") { dialect in
        // On SQLite `doc` is the rowid, so the full-text index joins its rows without an index between.
        let keys =
            dialect == .sqlite
            ? "doc INTEGER PRIMARY KEY, service_id TEXT NOT NULL UNIQUE" : "service_id TEXT PRIMARY KEY, doc BIGINT NOT NULL UNIQUE"
        let table = """
            CREATE TABLE directory_search (
                \(keys), thaw_service_id TEXT, organization_id TEXT,
                name TEXT NOT NULL, organization_name TEXT NOT NULL, text_name TEXT NOT NULL, text_body TEXT NOT NULL,
                needs TEXT NOT NULL, languages TEXT NOT NULL, taxonomy_terms TEXT NOT NULL, capacity TEXT NOT NULL,
                status TEXT NOT NULL, verified_at BIGINT, updated_at BIGINT NOT NULL)
            """
        let places = [
            """
            CREATE TABLE directory_places (
                service_id TEXT NOT NULL, location_id TEXT NOT NULL, latitude DOUBLE PRECISION, longitude DOUBLE PRECISION,
                postal_code TEXT, PRIMARY KEY (service_id, location_id))
            """,
            "CREATE INDEX directory_places_by_postal_code ON directory_places (postal_code)"
        ]
        switch dialect {
        case .sqlite:
            return [table] + places + [
                // `tags`: the filters as words (see `DirectoryTags`), so FTS5 narrows by them before it ranks.
                "CREATE VIRTUAL TABLE directory_fts USING fts5(text_name, text_body, tags, tokenize = 'porter unicode61 remove_diacritics 2')"
            ]
        case .postgres:
            return [table] + places + [
                """
                ALTER TABLE directory_search ADD COLUMN document tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', text_name), 'A') || setweight(to_tsvector('english', text_body), 'B')) STORED
                """,
                "CREATE INDEX directory_search_document ON directory_search USING GIN (document)"
            ]
        }
    }

    /// Once filled the search rows; `v27DirectoryUpkeep` fills them now, with the columns it adds.
    static let v26DirectoryIndexed = Migration(version: 26, name: "directory search filled", sql: [])
}
