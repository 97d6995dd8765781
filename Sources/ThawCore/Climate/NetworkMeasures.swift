/// Whole-network measures over the ties between organisations (an undirected
/// graph: a tie exists when two organisations worked together in the period).
public struct NetworkMeasures: Codable, Sendable, Equatable {
    /// Ties present / ties possible.
    public var density: Double
    /// Freeman's degree centralisation: how much the network hangs on one hub (0 to 1).
    public var degreeCentralisation: Double
    /// Each organisation's degree / (n − 1).
    public var degree: [String: Double]
    /// Each organisation's share of the shortest paths between others (normalised).
    public var betweenness: [String: Double]
    /// Share of primary-care ↔ central-system pairs tied directly, not through an
    /// intermediary; nil when the network has no such pair.
    public var directness: Double?

    public enum Side: String, Codable, Sendable, CaseIterable { case primaryCare = "primary-care", centralSystem = "central-system", other }

    public init(density: Double, degreeCentralisation: Double, degree: [String: Double], betweenness: [String: Double], directness: Double?) {
        self.density = density
        self.degreeCentralisation = degreeCentralisation
        self.degree = degree
        self.betweenness = betweenness
        self.directness = directness
    }

    /// - Parameters:
    ///   - nodes: every organisation, with the side of the divide it sits on.
    ///   - ties: pairs of node ids; self-ties and repeats are ignored.
    ///   - betweenness: whether to compute betweenness centrality, the one costly measure
    ///     (Brandes, O(nodes × ties)); left empty when false.
    public static func compute(nodes: [(id: String, side: Side)], ties: [(String, String)], betweenness wanted: Bool = true) -> NetworkMeasures {
        let ids = nodes.map(\.id)
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        let n = ids.count
        var adjacency = Array(repeating: Set<Int>(), count: n)
        for (a, b) in ties {
            guard let i = index[a], let j = index[b], i != j else { continue }
            adjacency[i].insert(j); adjacency[j].insert(i)
        }
        let edges = adjacency.reduce(0) { $0 + $1.count } / 2
        let density = n > 1 ? Double(2 * edges) / Double(n * (n - 1)) : 0
        let degrees = adjacency.map(\.count)
        var degree: [String: Double] = [:]
        for (i, id) in ids.enumerated() { degree[id] = n > 1 ? Double(degrees[i]) / Double(n - 1) : 1 }
        let maxDegree = degrees.max() ?? 0
        let centralisation = n > 2 ? Double(degrees.reduce(0) { $0 + (maxDegree - $1) }) / Double((n - 1) * (n - 2)) : 0
        var betweenness: [String: Double] = [:]
        if wanted {
            let between = brandes(adjacency)
            let scale = n > 2 ? 1 / Double((n - 1) * (n - 2)) : 1
            for (i, id) in ids.enumerated() { betweenness[id] = n > 2 ? between[i] * scale : between[i] }
        }
        let primary = nodes.enumerated().filter { $0.element.side == .primaryCare }.map(\.offset)
        let central = nodes.enumerated().filter { $0.element.side == .centralSystem }.map(\.offset)
        var direct = 0
        for p in primary { for c in central where adjacency[p].contains(c) { direct += 1 } }
        let pairs = primary.count * central.count
        return NetworkMeasures(
            density: density, degreeCentralisation: centralisation, degree: degree, betweenness: betweenness,
            directness: pairs > 0 ? Double(direct) / Double(pairs) : nil)
    }

    /// Brandes' algorithm on an unweighted undirected graph, counting each
    /// pair from both ends as networkx does before it rescales.
    static func brandes(_ adjacency: [Set<Int>]) -> [Double] {
        let n = adjacency.count
        var centrality = Array(repeating: 0.0, count: n)
        let neighbours = adjacency.map { $0.sorted() }
        for source in 0..<n {
            var stack: [Int] = []
            var predecessors = Array(repeating: [Int](), count: n)
            var paths = Array(repeating: 0.0, count: n)
            var distance = Array(repeating: -1, count: n)
            paths[source] = 1; distance[source] = 0
            var queue = [source], head = 0
            while head < queue.count {
                let v = queue[head]; head += 1
                stack.append(v)
                for w in neighbours[v] {
                    if distance[w] < 0 { distance[w] = distance[v] + 1; queue.append(w) }
                    if distance[w] == distance[v] + 1 { paths[w] += paths[v]; predecessors[w].append(v) }
                }
            }
            var dependency = Array(repeating: 0.0, count: n)
            while let w = stack.popLast() {
                for v in predecessors[w] { dependency[v] += paths[v] / paths[w] * (1 + dependency[w]) }
                if w != source { centrality[w] += dependency[w] }
            }
        }
        return centrality
    }
}
