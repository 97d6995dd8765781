extension Schema {
    /// A referral made from another (the IG's Task.partOf): a partner referring the client on.
    static let v37OnwardReferrals = Migration(
        version: 37, name: "onward referrals",
        sql: [
            "ALTER TABLE referrals ADD COLUMN part_of_referral_id TEXT",
            "CREATE INDEX referrals_by_parent ON referrals (part_of_referral_id) WHERE part_of_referral_id IS NOT NULL"
        ])
}
