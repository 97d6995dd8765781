/// A network's integration climate as it publishes it for comparison with other jurisdictions:
/// the network's monthly index, each partner pair's series and change points, and the outside
/// events by kind. Organisations are keys (`primary-care-1`) with their sector; names, and the
/// events' titles, only where the publishing network allows them. No person is in it.
public struct ClimatePackage: Codable, Sendable, Equatable {
    public static let format = "thaw-climate-package/1"

    public struct Organization: Codable, Sendable, Equatable {
        public var key: String
        public var sector: Sector
        public var name: String?
        public init(key: String, sector: Sector, name: String?) { self.key = key; self.sector = sector; self.name = name }
    }
    public struct Point: Codable, Sendable, Equatable {
        public var start: CalendarDate
        public var index: Double?
        public init(start: CalendarDate, index: Double?) { self.start = start; self.index = index }
    }
    public struct ChangePoint: Codable, Sendable, Equatable {
        public var start: CalendarDate
        public var direction: FreezeThaw.Direction
        public var meanIndex: Double
        public init(start: CalendarDate, direction: FreezeThaw.Direction, meanIndex: Double) {
            self.start = start; self.direction = direction; self.meanIndex = meanIndex
        }
    }
    public struct Pair: Codable, Sendable, Equatable {
        public var a: String
        public var b: String
        public var series: [Point]
        public var changePoints: [ChangePoint]
        public init(a: String, b: String, series: [Point], changePoints: [ChangePoint]) {
            self.a = a; self.b = b; self.series = series; self.changePoints = changePoints
        }
    }
    public struct Event: Codable, Sendable, Equatable {
        public var kind: OutsideEvent.Kind
        public var on: CalendarDate
        public var organizations: [String]
        public var title: String?
        public init(kind: OutsideEvent.Kind, on: CalendarDate, organizations: [String], title: String?) {
            self.kind = kind; self.on = on; self.organizations = organizations; self.title = title
        }
    }

    public var format: String
    /// What the publishing network calls itself (a region, a province).
    public var network: String
    public var generatedAt: Timestamp
    public var from: CalendarDate
    public var until: CalendarDate
    public var namesIncluded: Bool
    public var organizations: [Organization]
    public var networkSeries: [Point]
    public var networkChangePoints: [ChangePoint]
    public var pairs: [Pair]
    public var events: [Event]

    public init(
        network: String, generatedAt: Timestamp, from: CalendarDate, until: CalendarDate, namesIncluded: Bool, organizations: [Organization],
        networkSeries: [Point], networkChangePoints: [ChangePoint], pairs: [Pair], events: [Event]
    ) {
        self.format = Self.format; self.network = network; self.generatedAt = generatedAt; self.from = from; self.until = until
        self.namesIncluded = namesIncluded; self.organizations = organizations; self.networkSeries = networkSeries
        self.networkChangePoints = networkChangePoints; self.pairs = pairs; self.events = events
    }

    /// Checks a package from elsewhere before it is kept: its format, sizes, indexes on 0–100,
    /// keys that name its own organisations, and, where it says it holds no names, none.
    public func validate() throws {
        var v = Validator()
        v.require(format == Self.format, "format", "enum", "the package format must be \(Self.format)")
        v.requireText(network, "network", maxLength: 200)
        v.require(from <= until, "until", "order", "until must be on or after from")
        v.require(organizations.count <= 2_000, "organizations", "max-items", "a package holds at most 2,000 organisations")
        v.require(pairs.count <= 20_000, "pairs", "max-items", "a package holds at most 20,000 pairs")
        v.require(events.count <= 5_000, "events", "max-items", "a package holds at most 5,000 events")
        v.require(networkSeries.count <= 600, "networkSeries", "max-items", "a series holds at most 600 periods")
        let keys = Set(organizations.map(\.key))
        v.require(keys.count == organizations.count, "organizations", "unique", "each organisation key appears once")
        let indexes = networkSeries.compactMap(\.index) + pairs.flatMap { $0.series.compactMap(\.index) }
        v.require(indexes.allSatisfy { $0.isFinite && (0...100).contains($0) }, "pairs", "range", "every index is from 0 to 100")
        v.require(
            pairs.allSatisfy { keys.contains($0.a) && keys.contains($0.b) && $0.series.count <= 600 }, "pairs", "keys",
            "each pair names two of the package's organisations")
        v.require(events.allSatisfy { $0.organizations.allSatisfy(keys.contains) }, "events", "keys", "each event names the package's organisations")
        if !namesIncluded {
            v.require(
                organizations.allSatisfy { $0.name == nil } && events.allSatisfy { $0.title == nil }, "namesIncluded", "names",
                "the package says it holds no names, but holds some")
        }
        try v.check()
    }
}

/// Jurisdictions side by side, aligned by kind of event: for each kind, how the network index
/// moved from the periods before each event to the periods after it, in each package.
public struct EventAlignment: Sendable, Equatable {
    public var network: String
    public var kind: OutsideEvent.Kind
    public var events: Int
    public var before: Double?
    public var after: Double?
    public var change: Double? { before.flatMap { b in after.map { $0 - b } } }

    /// `window` periods before and after each event, from the package's network series.
    public static func align(_ package: ClimatePackage, window: Int = 3) -> [EventAlignment] {
        let series = package.networkSeries.sorted { $0.start < $1.start }
        func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
        return OutsideEvent.Kind.allCases.compactMap { kind in
            let events = package.events.filter { $0.kind == kind }
            guard !events.isEmpty else { return nil }
            var before: [Double] = [], after: [Double] = []
            for event in events {
                guard let at = series.lastIndex(where: { $0.start <= event.on }) else { continue }
                before += series[max(0, at - window)..<at].compactMap(\.index)
                after += series[min(at + 1, series.count)..<min(at + 1 + window, series.count)].compactMap(\.index)
            }
            return EventAlignment(network: package.network, kind: kind, events: events.count, before: mean(before), after: mean(after))
        }
    }
}
