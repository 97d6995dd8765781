import Testing
@testable import ThawServer
import ThawStorage

@Suite struct RequestLogTests {
    @Test func logsMillisecondsToTheHundredth() {
        #expect(RequestLogMiddleware.milliseconds(.microseconds(12_345)) == "12.34")
        #expect(RequestLogMiddleware.milliseconds(.microseconds(1_050)) == "1.05")
        #expect(RequestLogMiddleware.milliseconds(.microseconds(5)) == "0.00")
        #expect(RequestLogMiddleware.milliseconds(.seconds(1) + .milliseconds(70)) == "1070.00")
    }

    @Test func requestIDsAreDistinctAndShareTheProcessPrefix() {
        let ids = (0..<1_000).map { _ in RequestIDs.next() }
        #expect(Set(ids).count == ids.count)
        let prefix = ids[0].split(separator: "_").prefix(2).joined(separator: "_")
        #expect(prefix.hasPrefix("req_") && ids.allSatisfy { $0.hasPrefix(prefix + "_") })
    }
}

@Suite struct DatabaseProblemTests {
    /// The database's own trouble is a 503 with when to try again, never a 500 or a detail of the database.
    @Test func timeoutsAndAnUnavailableDatabaseAre503WithRetryAfter() throws {
        for (kind, type, retry) in [
            (SQLError.Kind.timeout, "database-timeout", "5"), (.unavailable, "database-unavailable", "1"), (.busy, "database-unavailable", "1")
        ] {
            let (problem, headers) = try #require(ProblemDetails.from(SQLError(kind, "canceling statement due to statement timeout")))
            #expect(problem.status == 503 && problem.type == type && headers[.retryAfter] == retry)
            #expect(!problem.detail.contains("canceling"))
        }
        #expect(ProblemDetails.from(SQLError(.other, "syntax error"))?.0.status == nil)  // ours: a 500, logged
    }
}
