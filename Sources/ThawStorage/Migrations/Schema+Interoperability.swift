extension Schema {
    /// What other systems call things: the identifiers they give clients (by which a referral
    /// from an EMR finds the client Thaw holds), and the identifiers they give the referrals
    /// they send (by which the same referral sent twice is made once).
    static let v15Interoperability = Migration(
        version: 15, name: "client identifiers and received referrals",
        sql: [
            """
            CREATE TABLE client_identifiers (
                organization_id TEXT NOT NULL, system TEXT NOT NULL, value TEXT NOT NULL,
                client_id TEXT NOT NULL REFERENCES clients(id),
                PRIMARY KEY (organization_id, system, value))
            """,
            "CREATE INDEX client_identifiers_by_client ON client_identifiers (client_id)",
            """
            CREATE TABLE received_referrals (
                organization_id TEXT NOT NULL, system TEXT NOT NULL, value TEXT NOT NULL,
                referral_id TEXT NOT NULL REFERENCES referrals(id),
                PRIMARY KEY (organization_id, system, value))
            """
        ])
}
