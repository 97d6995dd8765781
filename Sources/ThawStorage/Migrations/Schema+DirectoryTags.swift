extension Schema {
    /// The search's filters as words (`DirectoryTags`) beside each row, so PostgreSQL narrows by
    /// words and by need, language, capacity, membership, taxonomy term and place in one GIN index
    /// before it ranks, as SQLite's full-text index already does with the same words.
    static let v28DirectoryTags = Migration(
        version: 28, name: "directory search tags",
        statements: { dialect in
            switch dialect {
            case .sqlite:
                return ["ALTER TABLE directory_search ADD COLUMN tags TEXT NOT NULL DEFAULT ''"]
            case .postgres:
                // One vector and one GIN index for the words (weights A and B, as in `document`) and the
                // tags (weight D, so a word searched for never matches a tag): the index answers the
                // whole query in one scan. `document` stays, without its index, for `ts_rank`.
                return [
                    "ALTER TABLE directory_search ADD COLUMN tags TEXT NOT NULL DEFAULT ''",
                    """
                    ALTER TABLE directory_search ADD COLUMN search_words tsvector GENERATED ALWAYS AS (
                        setweight(to_tsvector('english', text_name), 'A') || setweight(to_tsvector('english', text_body), 'B')
                        || setweight(to_tsvector('simple', tags), 'D')) STORED
                    """,
                    "CREATE INDEX directory_search_words ON directory_search USING GIN (search_words)",
                    "DROP INDEX directory_search_document"
                ]
            }
        },
        then: { db in
            let ids = try await db.query("SELECT id FROM directory_records WHERE entity = 'service' ORDER BY id").map { $0.string("id") }
            try await ThawStore.indexServices(db, hsdsIds: ids, at: SystemClock().now())
        })
}
