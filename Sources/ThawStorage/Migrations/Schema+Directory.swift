extension Schema {
    /// The HSDS 3.0 directory: every record of every entity as the standard names its fields
    /// (`fields`, a JSON object), and the links between them (each `*_id` field), indexed by
    /// what they name so a record's nested records are found without reading the others.
    static let v23Directory = Migration(
        version: 23, name: "the HSDS directory",
        sql: [
            """
            CREATE TABLE directory_records (
                entity TEXT NOT NULL, id TEXT NOT NULL, fields TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (entity, id))
            """,
            "CREATE INDEX directory_records_by_id ON directory_records (id)",
            """
            CREATE TABLE directory_links (
                entity TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL, target TEXT NOT NULL, PRIMARY KEY (entity, id, field))
            """,
            "CREATE INDEX directory_links_by_target ON directory_links (target, field, entity)"
        ])

    /// Thaw's organisations and services in the directory: each has its HSDS record (by
    /// `hsds_id`), the existing ones written now; a service's last verification is kept beside it.
    static let v24DirectoryMembers = Migration(
        version: 24, name: "Thaw's organisations and services in the HSDS directory",
        sql: [
            "ALTER TABLE organizations ADD COLUMN hsds_id TEXT",
            "CREATE UNIQUE INDEX organizations_by_hsds ON organizations (hsds_id)",
            "ALTER TABLE services ADD COLUMN hsds_id TEXT",
            "CREATE UNIQUE INDEX services_by_hsds ON services (hsds_id)",
            "ALTER TABLE services ADD COLUMN verified_at BIGINT",
            "ALTER TABLE services ADD COLUMN verified_by TEXT"
        ],
        then: { db in try await ThawStore.writeDirectoryMembers(db, at: SystemClock().now()) })
}
