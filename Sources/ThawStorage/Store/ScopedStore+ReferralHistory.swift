import ThawCore

extension ScopedStore {
    /// Every version of a referral the actor may read, newest first, each disclosed as the
    /// referral is disclosed to the actor now (a partner sees no more of an old version than of
    /// the current one). Recorded in the access log as a read.
    public func referralHistory(_ id: ID<Referral>) async throws -> [Referral] {
        let actor = self.actor, now = now()
        let versions = try await database.read { db -> [Referral] in
            let (current, side, scopes) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            // Versions keep the columns that change; the referral it was made from never does.
            var versions = try await db.query(
                "SELECT \(ReferralVersions.columns), NULL AS part_of_referral_id FROM referral_versions WHERE id = ? ORDER BY version DESC", id
            ).map { row in
                var version = Referral(row: row)
                version.partOf = current.partOf
                return version
            }
            if versions.first?.version != current.version {
                versions.insert(try await Self.loadReferral(db, id), at: 0)
            }
            return versions.map { Disclosure.referral($0, to: side, under: scopes) }
        }
        try await database.writeBehind { db in
            try await db.logAccess(
                actor, client: versions.first?.clientId, action: "read", subjectType: "referral-history", subjectId: id.raw, at: now)
        }
        return versions
    }
}
