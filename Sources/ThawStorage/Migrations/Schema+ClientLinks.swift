extension Schema {
    /// Records of one client at different organisations, linked with the client's consent.
    static let v41ClientLinks = Migration(
        version: 41, name: "client links",
        sql: [
            """
            CREATE TABLE client_links (
                id TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients(id), linked_client_id TEXT NOT NULL REFERENCES clients(id),
                organization_id TEXT NOT NULL, linked_organization_id TEXT NOT NULL, basis TEXT NOT NULL, linked_by TEXT NOT NULL,
                linked_at BIGINT NOT NULL, unlinked_at BIGINT)
            """,
            "CREATE INDEX client_links_by_client ON client_links (client_id)",
            "CREATE INDEX clients_by_name ON clients (family_name, given_name)"
        ])
}
