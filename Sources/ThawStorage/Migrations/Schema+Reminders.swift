extension Schema {
    /// Notifications about more than referrals (commitments, consultations, funding, surveys):
    /// each names its subject by type and id. Follow-up dates are indexed for the reminder sweep.
    static let v22Reminders = Migration(
        version: 22, name: "notifications about any subject; follow-ups by date",
        sql: [
            "ALTER TABLE notifications RENAME COLUMN referral_id TO subject_id",
            "ALTER TABLE notifications ADD COLUMN subject_type TEXT NOT NULL DEFAULT 'referral'",
            "CREATE INDEX referrals_by_follow_up ON referrals (follow_up_due) WHERE follow_up_due IS NOT NULL"
        ])
}
