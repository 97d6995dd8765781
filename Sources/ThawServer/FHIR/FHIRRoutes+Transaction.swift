import Hummingbird
import ThawCore
import ThawStorage

extension FHIRRoutes {
    /// `POST /fhir` with a transaction Bundle: a referral source sends a referral whole — its
    /// Task and ServiceRequest, and the Patient, Consents and Conditions they refer to (or
    /// references to the ones Thaw holds). All of it is recorded, or none of it; the referral
    /// reaches the partner's inbox as one made in the web app does. The Task's identifier
    /// makes a retry safe: the same identifier sent again answers with the referral made
    /// the first time.
    @Sendable func transaction(_ request: Request, context: CallerContext) async throws -> FHIRResponse<TransactionResponseBundle> {
        let bundle = try await JSONBody.decode(
            TransactionBundle.self, from: request, limit: configuration.maxBodyBytes, mediaTypes: ["application/fhir+json", "application/json"])
        let reading = try ReferralBundleReader(bundle, now: store.clock.now()).read()
        for type in Set(bundle.entry?.map(\.resource.typeName) ?? []).sorted() {
            if let type = FHIRResourceType(rawValue: type) { try permit(context, type, .create) }
        }
        for (organization, path) in reading.organizations {
            guard (try? await store.organization(organization)) != nil else {
                throw ThawError.unprocessable(path, "exists", "\(path) names no organisation in Thaw's directory")
            }
        }
        let received: ReceivedReferral
        do {
            received = try await scoped(context).receiveReferral(reading.intake)
        } catch ThawError.unprocessable(let violations) {
            throw ThawError.unprocessable(violations.map { Self.located($0, in: reading.paths) })
        } catch ThawError.invalid(let violations) {
            throw ThawError.invalid(violations.map { Self.located($0, in: reading.paths) })
        } catch ThawError.notFound(let what) {
            // A reference to a client or need that this organisation does not hold.
            let path = what.hasPrefix("need") ? reading.paths["needIds[0]"] : reading.paths["clientId"]
            throw ThawError.unprocessable(path ?? "Bundle.entry", "exists", "\(what) is not held by your organisation")
        }
        let created = received.replayed ? "200 OK" : "201 Created"
        let version = received.referral.version, updated = received.referral.updatedAt.description
        let entries = reading.roles.map { role -> TransactionResponseBundle.Entry in
            switch role {
            case .patient:
                .init(status: received.clientRegistered ? "201 Created" : "200 OK", location: "Patient/\(received.client.id.fhir)")
            case .consent(let n):
                .init(status: created, location: received.consents.indices.contains(n) ? "Consent/\(received.consents[n].id.fhir)" : nil)
            case .condition(let n):
                .init(
                    status: received.needs.indices.contains(n) && received.needs[n].identified ? "201 Created" : "200 OK",
                    location: received.needs.indices.contains(n) ? "Condition/\(received.needs[n].need.id.fhir)" : nil)
            case .serviceRequest:
                .init(
                    status: created, location: "ServiceRequest/\(received.referral.id.fhir)/_history/\(version)", etag: "W/\"\(version)\"",
                    lastModified: updated)
            case .task:
                .init(
                    status: created, location: "Task/\(received.referral.id.fhir)/_history/\(version)", etag: "W/\"\(version)\"",
                    lastModified: updated)
            }
        }
        return FHIRResponse(TransactionResponseBundle(entries: entries, timestamp: store.clock.now()))
    }

    /// A refusal storage names by Thaw's field, named instead by the element of the Bundle it came from.
    private static func located(_ violation: Violation, in paths: [String: String]) -> Violation {
        var located = violation
        located.field = paths[violation.field] ?? violation.field
        return located
    }
}

/// The answer to a transaction: one entry per entry sent, in order, saying what became of it.
struct TransactionResponseBundle: Encodable, Sendable {
    var resourceType = "Bundle"
    var type = "transaction-response"
    var timestamp: String
    var entry: [Entry]

    struct Entry: Encodable, Sendable {
        var response: Response

        init(status: String, location: String?, etag: String? = nil, lastModified: String? = nil) {
            response = Response(status: status, location: location, etag: etag, lastModified: lastModified)
        }
    }
    struct Response: Encodable, Sendable {
        var status: String
        var location: String?
        var etag: String?
        var lastModified: String?
    }

    init(entries: [Entry], timestamp: Timestamp) {
        entry = entries
        self.timestamp = timestamp.description
    }
}
