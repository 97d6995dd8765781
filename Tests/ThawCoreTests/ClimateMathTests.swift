import Testing
@testable import ThawCore

@Suite("Climate maths: change points and network measures")
struct ClimateMathTests {
    @Test("PELT finds planted level shifts, respects the minimum segment, and refuses a bad penalty")
    func pelt() throws {
        let series = Array(repeating: 0.0, count: 10) + Array(repeating: 4.0, count: 10) + Array(repeating: 1.0, count: 10)
        let noisy = series.enumerated().map { $0.element + (Double($0.offset % 3) - 1) * 0.1 }
        #expect(try ChangePoints.pelt(ChangePoints.standardise(noisy), penalty: 3, minSize: 2) == [10, 20, 30])
        #expect(try ChangePoints.pelt(ChangePoints.standardise(noisy), penalty: 1e6, minSize: 2) == [30])  // too dear to split
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

    @Test("freeze and thaw: segments after the first labelled by the way their mean moved, with the cooling alert")
    func freezeAndThaw() throws {
        let wobble = { (i: Int) in (Double(i % 3) - 1) * 1.5 }
        let series = (0..<8).map { 70 + wobble($0) } + (0..<8).map { 35 + wobble($0) } + (0..<8).map { 60 + wobble($0) }
        let analysis = try FreezeThaw.analyse(series)
        #expect(analysis.segments.map(\.start) == [0, 8, 16] && analysis.segments.last?.end == 24)
        #expect(analysis.segments.map(\.direction) == [nil, .freeze, .thaw])
        #expect(abs(analysis.segments[1].mean - 35) < 1)
        #expect(analysis.penalty == ChangePoints.defaultPenalty(count: 24))
        // Cooling now: the last three against the twelve before them.
        let falling = (0..<12).map { 70 + wobble($0) } + [60, 50, 45]
        let (alert, usual) = try #require(try FreezeThaw.coolingAlert(falling, recent: 3))
        #expect(alert.at == 13 && alert.startedAt == 12 && usual == 70)  // 1.5 after the first fall, 5 after the second
        #expect(try FreezeThaw.coolingAlert(series, recent: 3) == nil)  // the freeze is old news; the thaw is warming
        #expect(try FreezeThaw.coolingAlert((0..<12).map { 70 + wobble($0) } + [66, 67, 65], recent: 3) == nil)  // within the 5-point spread
        #expect(try FreezeThaw.coolingAlert([70, 20], recent: 1) == nil)  // no usual level yet
        #expect(try FreezeThaw.analyse(Array(series.prefix(8))).segments.count == 1)
        #expect(try FreezeThaw.analyse([]).segments.isEmpty)
        #expect(try FreezeThaw.analyse([50, 80, 20], minSize: 2).segments.count == 1)  // too short for two segments: no change, no error
        #expect(throws: ThawError.self) { try FreezeThaw.analyse(series, penalty: 0) }
    }
}
