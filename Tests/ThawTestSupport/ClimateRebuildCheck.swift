import ThawStorage

extension ThawStore {
    /// Rebuilds the climate from the whole ledger and tells whether the rebuild
    /// found every stored month row exactly as the ledger gives it (so wrote
    /// none) and left the rows as they were: the incremental updates and the
    /// rebuild agree.
    public func rebuildFindsClimateUnchanged(pageSize: Int = 200_000) async throws -> Bool {
        let before = try await climateSnapshot()
        let report = try await rebuildClimate(pageSize: pageSize)
        let after = try await climateSnapshot()
        return report.rows == ClimateRowChanges(rows: before.count) && after == before
    }
}
