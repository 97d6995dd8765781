extension Schema {
    /// Who wrote a referral's status reason (the `notes` scope withholds the referring
    /// side's); and sign-in throttling kept per email and source address instead of per
    /// account, so that nobody can lock someone else out and a locked answer is the same
    /// for an email that exists and one that does not.
    static let v14Trust = Migration(
        version: 14, name: "reason authorship and sign-in throttling",
        sql: [
            "ALTER TABLE referrals ADD COLUMN status_reason_side TEXT",
            // Reasons recorded before: rejected, on hold and failed are the receiving side's;
            // anything else (a cancel from either side, entered in error) counts as the referring
            // side's, which withholds it from a partner without `notes` rather than disclose it.
            """
            UPDATE referrals SET status_reason_side = CASE WHEN status IN ('rejected', 'on-hold', 'failed') THEN 'performer' ELSE 'requester' END
            WHERE status_reason IS NOT NULL
            """,
            """
            CREATE TABLE sign_in_throttle (
                email_digest TEXT NOT NULL, source TEXT NOT NULL, failures INTEGER NOT NULL,
                window_start BIGINT NOT NULL, locked_until BIGINT,
                PRIMARY KEY (email_digest, source))
            """,
            "CREATE INDEX sign_in_throttle_by_window ON sign_in_throttle (window_start)",
            "ALTER TABLE users DROP COLUMN failed_sign_ins",
            "ALTER TABLE users DROP COLUMN locked_until"
        ])
}
