extension Schema {
    /// The search's filters as words (`DirectoryTags`) beside each row, so PostgreSQL narrows by
    /// need, language, capacity, membership, taxonomy term and place in a GIN index before it ranks,
    /// as SQLite's full-text index already does with the same words.
    static let v28DirectoryTags = Migration(
        version: 28, name: "directory search tags",
        statements: { dialect in
            switch dialect {
            case .sqlite:
                return ["ALTER TABLE directory_search ADD COLUMN tags TEXT NOT NULL DEFAULT ''"]
            case .postgres:
                return [
                    "ALTER TABLE directory_search ADD COLUMN tags TEXT NOT NULL DEFAULT ''",
                    "ALTER TABLE directory_search ADD COLUMN tag_words tsvector GENERATED ALWAYS AS (to_tsvector('simple', tags)) STORED",
                    "CREATE INDEX directory_search_tags ON directory_search USING GIN (tag_words)"
                ]
            }
        },
        then: { db in
            let ids = try await db.query("SELECT id FROM directory_records WHERE entity = 'service' ORDER BY id").map { $0.string("id") }
            try await ThawStore.indexServices(db, hsdsIds: ids, at: SystemClock().now())
        })
}
