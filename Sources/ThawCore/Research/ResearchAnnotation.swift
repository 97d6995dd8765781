/// A coding a researcher made in their own tool on a source Thaw exported, brought back: shown
/// on the pair and committee timelines to that researcher only.
public struct ResearchAnnotation: Codable, Sendable, Equatable {
    public var id: ID<ResearchAnnotation>
    /// The project (`.qdpx`) it came from; importing the project again replaces its codings.
    public var project: String
    /// `kind/id` of the record coded.
    public var subject: String
    public var organizationIds: [ID<Organization>]
    public var committeeId: ID<Committee>?
    public var code: String
    /// The coded span of the source text, in Unicode code points (nil: the whole source).
    public var startPosition: Int?
    public var endPosition: Int?
    public var quote: String
    public var importedAt: Timestamp

    public init(
        id: ID<ResearchAnnotation>, project: String, subject: String, organizationIds: [ID<Organization>], committeeId: ID<Committee>?, code: String,
        startPosition: Int?, endPosition: Int?, quote: String, importedAt: Timestamp
    ) {
        self.id = id; self.project = project; self.subject = subject; self.organizationIds = organizationIds; self.committeeId = committeeId
        self.code = code; self.startPosition = startPosition; self.endPosition = endPosition; self.quote = quote; self.importedAt = importedAt
    }

    /// The longest quote kept of a coded span.
    public static let longestQuote = 1_000
}

/// Whether a person agrees that what they write in conversations may be exported for research.
public struct ResearchAgreement: Codable, Sendable, Equatable {
    public var agreed: Bool
    public var agreedAt: Timestamp?
    public var withdrawnAt: Timestamp?
    public init(agreed: Bool, agreedAt: Timestamp?, withdrawnAt: Timestamp?) {
        self.agreed = agreed; self.agreedAt = agreedAt; self.withdrawnAt = withdrawnAt
    }
}
