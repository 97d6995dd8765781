import Testing
@testable import ThawServer

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
