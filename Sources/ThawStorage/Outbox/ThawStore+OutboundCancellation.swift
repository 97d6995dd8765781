import ThawCore

/// A referral the referring side cancelled after it went to a partner's own system: the Task
/// there is to be cancelled too, so the partner stops working it.
public struct OutboundCancellation: Sendable {
    public var referralId: ID<Referral>
    public var remoteTask: String
    public var reason: String
    public var endpoint: PartnerEndpoint
    public var attempts: Int
}

extension ThawStore {
    /// Claims cancellations due to be sent, each held for a lease so no other worker sends it meanwhile.
    public func claimOutboundCancellations(limit: Int = 20) async throws -> [OutboundCancellation] {
        let now = clock.now()
        return try await database.write { db in
            let skipLocked = db.dialect == .postgres ? " FOR UPDATE OF o SKIP LOCKED" : ""
            let rows = try await db.query(
                """
                SELECT o.referral_id, o.remote_task, o.attempts, \(PartnerEndpoint.qualifiedColumns)
                FROM outbound_referrals o JOIN partner_endpoints e ON e.organization_id = o.organization_id
                WHERE o.state = 'cancel-pending' AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at LIMIT ?\(skipLocked)
                """, now, limit)
            var claimed: [OutboundCancellation] = []
            for row in rows {
                let id: ID<Referral> = row.id("referral_id")
                try await db.execute(
                    "UPDATE outbound_referrals SET next_attempt_at = ?, attempts = attempts + 1 WHERE referral_id = ?",
                    now.adding(seconds: Outbox.leaseMillis / 1000), id)
                let endpoint = PartnerEndpoint(row: row)
                // The reason goes only where the partner could read it here (the consent's notes scope).
                var reason: String?
                if let partner = try await Self.activeActor(db, endpoint.mirrorUserId, in: endpoint.organizationId) {
                    if let (referral, side, scopes) = try? await ScopedStore.visibleReferral(db, id, actor: partner, now: now) {
                        reason = Disclosure.referral(referral, to: side, under: scopes).statusReason
                    }
                }
                claimed.append(
                    OutboundCancellation(
                        referralId: id, remoteTask: row.string("remote_task"), reason: reason ?? Self.cancelledWithoutReason,
                        endpoint: endpoint, attempts: row.int("attempts") + 1))
            }
            return claimed
        }
    }

    /// What a partner is told when the referring side's reason is not theirs to read.
    static let cancelledWithoutReason = "Cancelled by the referring organisation"

    /// The partner's Task is cancelled: nothing more to send or follow.
    public func markOutboundCancelled(_ id: ID<Referral>) async throws {
        try await database.write { db in
            try await db.execute(
                "UPDATE outbound_referrals SET state = 'cancelled', last_error = NULL WHERE referral_id = ? AND state = 'cancel-pending'", id)
        }
    }

    /// A failed cancellation: tried again after the backoff, or given up (refused, or too many attempts).
    public func markOutboundCancelFailed(_ cancellation: OutboundCancellation, error: String, refused: Bool) async throws {
        let now = clock.now(), dead = refused || cancellation.attempts >= Outbox.maxAttempts
        try await database.write { db in
            try await db.execute(
                "UPDATE outbound_referrals SET state = ?, next_attempt_at = ?, last_error = ? WHERE referral_id = ? AND state = 'cancel-pending'",
                dead ? "dead" : "cancel-pending", Timestamp(millis: now.millis + Outbox.backoffMillis(afterAttempts: cancellation.attempts)),
                String(error.prefix(500)), cancellation.referralId)
        }
    }
}
