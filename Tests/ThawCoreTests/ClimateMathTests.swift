import Testing
@testable import ThawCore

@Suite("Climate maths: change points and network measures")
struct ClimateMathTests {
    @Test("PELT finds planted level shifts, respects the minimum segment, and refuses a bad penalty")
    func pelt() throws {
        let series = Array(repeating: 0.0, count: 10) + Array(repeating: 4.0, count: 10) + Array(repeating: 1.0, count: 10)
        let noisy = series.enumerated().map { $0.element + (Double($0.offset % 3) - 1) * 0.1 }
        #expect(try ChangePoints.pelt(ChangePoints.standardise(noisy), penalty: 3, minSize: 2) == [10, 20, 30])
        #expect(try ChangePoints.pelt(ChangePoints.standardise(noisy), penalty: 1e6, minSize: 2) == [30])   // too dear to split
        #expect(throws: ThawError.self) { try ChangePoints.pelt(noisy, penalty: 0) }
        #expect(throws: ThawError.self) { try ChangePoints.pelt([1, 2], penalty: 1, minSize: 3) }
        #expect(ChangePoints.standardise([2, 2, 2]) == [0, 0, 0])
    }

    @Test("numpy's pairwise sum, reproduced: blocks of eight lanes and halving past 128")
    func pairwise() {
        let values = (1...300).map { 1.0 / Double($0) }
        // Sequential summation differs in the last bits; the pairwise order is what numpy computes.
        var sequential = 0.0
        for v in values { sequential += v }
        let pairwise = ChangePoints.pairwiseSum(values[...])
        #expect(abs(pairwise - sequential) < 1e-12)
        #expect(ChangePoints.pairwiseSum([1, 2, 3][...]) == 6)
    }

    @Test("a star: density, full centralisation, the hub on every path, directness")
    func star() {
        let nodes: [(id: String, side: NetworkMeasures.Side)] = [("hub", .centralSystem), ("a", .primaryCare), ("b", .primaryCare), ("c", .other)]
        let m = NetworkMeasures.compute(nodes: nodes, ties: [("hub", "a"), ("hub", "b"), ("hub", "c"), ("a", "a")])
        #expect(m.density == 0.5)
        #expect(m.degreeCentralisation == 1)
        #expect(m.betweenness["hub"] == 1 && m.betweenness["a"] == 0)
        #expect(m.directness == 1)
        #expect(NetworkMeasures.compute(nodes: [("x", .other)], ties: []).directness == nil)
    }

    @Test("CUSUM: a stable series stays quiet, a sustained fall raises the alarm soon after it starts")
    func cusum() throws {
        let steady = (0..<60).map { 0.7 + (Double($0 % 5) - 2) * 0.02 }
        #expect(try Cusum.cooling(steady, baseline: 12) == nil)
        let cooling = steady.prefix(30) + (0..<30).map { 0.5 + (Double($0 % 5) - 2) * 0.02 }
        let alert = try #require(try Cusum.cooling(Array(cooling), baseline: 12))
        #expect(alert.at >= 30 && alert.at <= 33)
        #expect(alert.startedAt == 30)
        // Warming is not cooling.
        let warming = steady.prefix(30) + (0..<30).map { 0.9 + (Double($0 % 5) - 2) * 0.02 }
        #expect(try Cusum.cooling(Array(warming), baseline: 12) == nil)
        #expect(throws: ThawError.self) { try Cusum.cooling(steady, baseline: 1) }
        #expect(throws: ThawError.self) { try Cusum.cooling(steady, baseline: 12, threshold: -1) }
    }
}
