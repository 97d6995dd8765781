import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import ThawCore
import ThawStorage

/// Referring to partners that run their own systems: sends each queued referral to the partner's
/// FHIR server as a transaction (retrying until it is taken, or refused), then follows the Task
/// it became there and makes the same moves here, as the partner, so the caseload, timeline,
/// ledger and climate see it as any other referral. A referral cancelled here is cancelled there.
struct PartnerExchangeWorker: ServiceLifecycle.Service {
    let store: ThawStore
    /// This server's FHIR base, the system of the identifier its Tasks carry elsewhere.
    let ownBase: String
    let poll: Duration
    let follow: Duration
    let logger: Logger
    var client: HTTPClient = .shared

    func run() async throws {
        let tokens = SMARTTokenSource(store: store, client: client)
        try? await cancelWhenGracefulShutdown {
            var lastFollowed = ContinuousClock.now - follow
            while !Task.isCancelled {
                do {
                    for outbound in try await store.claimOutbound() { await send(outbound, tokens) }
                    for cancellation in try await store.claimOutboundCancellations() { await cancel(cancellation, tokens) }
                    // Every process keeps the time; one of them reads the partners' Tasks each period.
                    if ContinuousClock.now - lastFollowed >= follow {
                        lastFollowed = .now
                        if try await store.claimScheduledRun(.partnerFollow, every: follow, holder: ServerProcess.name) {
                            try await followAll(tokens)
                        }
                    }
                } catch {
                    logger.error("partner exchange round failed", metadata: ["error": .string(String(describing: error))])
                }
                try await Task.sleep(for: poll)
            }
        }
    }

    private func send(_ outbound: OutboundReferral, _ tokens: SMARTTokenSource) async {
        let referral = outbound.referral.id.raw
        do {
            var request = HTTPClientRequest(url: outbound.endpoint.fhirBase)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/fhir+json")
            request.headers.add(name: "Authorization", value: "Bearer " + (try await tokens.token(for: outbound.endpoint)))
            request.body = .bytes(
                ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ReferralBundleWriter.bundle(outbound, ownBase: ownBase))))
            let response = try await client.execute(request, timeout: .seconds(30))
            let body =
                (try? JSONSerialization.jsonObject(with: Data(buffer: try await response.body.collect(upTo: 1 << 20)))) as? [String: Any] ?? [:]
            let code = Int(response.status.code)
            if code == 200, let task = Self.taskLocation(body) {
                try await store.markOutboundSent(outbound.referral.id, remoteTask: task)
                logger.info("referral sent to a partner's system", metadata: ["referral": .string(referral), "remote": .string(task)])
                return
            }
            if code == 401 { await tokens.forget(outbound.endpoint) }
            let refused = (400..<500).contains(code) && ![401, 408, 429].contains(code)
            let reason = ((body["issue"] as? [[String: Any]])?.first?["diagnostics"] as? String) ?? "status \(code)"
            try await store.markOutboundFailed(outbound, error: "the partner's system answered \(code): \(reason)", refused: refused)
        } catch {
            logger.warning(
                "referral not sent to a partner's system", metadata: ["referral": .string(referral), "error": .string(String(describing: error))])
            try? await store.markOutboundFailed(outbound, error: String(describing: error), refused: false)
        }
    }

    /// `Task/<id>` from a transaction response (its location, without the version).
    static func taskLocation(_ bundle: [String: Any]) -> String? {
        for entry in bundle["entry"] as? [[String: Any]] ?? [] {
            if let location = (entry["response"] as? [String: Any])?["location"] as? String, location.hasPrefix("Task/") {
                return location.components(separatedBy: "/_history").first
            }
        }
        return nil
    }

    /// Reads the partner's Tasks for the referrals still open here, 50 at a time per partner.
    private func followAll(_ tokens: SMARTTokenSource) async throws {
        let open = try await store.outboundToFollow()
        for group in Dictionary(grouping: open, by: { $0.endpoint.organizationId }).values {
            guard let endpoint = group.first?.endpoint else { continue }
            var index = 0
            while index < group.count {
                let chunk = Array(group[index..<min(index + 50, group.count)])
                index += 50
                do {
                    try await followChunk(chunk, endpoint: endpoint, tokens)
                } catch {
                    logger.warning(
                        "partner's Tasks not read",
                        metadata: ["partner": .string(endpoint.organizationId.raw), "error": .string(String(describing: error))])
                }
            }
        }
    }

    private func followChunk(
        _ chunk: [(referral: Referral, remoteTask: String, endpoint: PartnerEndpoint)], endpoint: PartnerEndpoint, _ tokens: SMARTTokenSource
    )
        async throws
    {
        let ids = chunk.map { $0.remoteTask.replacingOccurrences(of: "Task/", with: "") }
        var request = HTTPClientRequest(url: endpoint.fhirBase + "/Task?_id=" + ids.joined(separator: ",") + "&_include=Task:output&_count=50")
        request.headers.add(name: "Authorization", value: "Bearer " + (try await tokens.token(for: endpoint)))
        let response = try await client.execute(request, timeout: .seconds(30))
        if response.status.code == 401 { await tokens.forget(endpoint) }
        guard response.status.code == 200,
            let bundle = try JSONSerialization.jsonObject(with: Data(buffer: try await response.body.collect(upTo: 8 << 20))) as? [String: Any]
        else { return }
        let resources = (bundle["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
        let procedures = Dictionary(
            resources.filter { $0["resourceType"] as? String == "Procedure" }.compactMap { p in (p["id"] as? String).map { ("Procedure/" + $0, p) } },
            uniquingKeysWith: { first, _ in first })
        for task in resources where task["resourceType"] as? String == "Task" {
            guard let id = task["id"] as? String, let local = chunk.first(where: { $0.remoteTask == "Task/" + id }),
                let status = (task["status"] as? String).flatMap(TaskStatus.init(rawValue:)), status != local.referral.status
            else { continue }
            let reason = (task["statusReason"] as? [String: Any])?["text"] as? String
            var outcome: ReferralOutcome?
            if status == .completed {
                let reference = (task["output"] as? [[String: Any]] ?? []).compactMap {
                    ($0["valueReference"] as? [String: Any])?["reference"] as? String
                }.first
                outcome = Self.outcome(reference.flatMap { procedures[$0] })
            }
            do {
                let stated = ReferralWorkflow.requiresReason(status) ? (reason ?? "Recorded in the partner's system") : reason
                try await store.mirrorPartnerChange(local.referral, endpoint: endpoint, status: status, reason: stated, outcome: outcome)
            } catch {
                logger.warning(
                    "a partner's change could not be made here",
                    metadata: ["referral": .string(local.referral.id.raw), "error": .string(String(describing: error))])
            }
        }
    }

    /// The outcome a partner's Procedure gives: Thaw's code where it uses Thaw's system, else "service provided", with its text.
    static func outcome(_ procedure: [String: Any]?) -> ReferralOutcome {
        let concept = procedure?["outcome"] as? [String: Any]
        let codings = concept?["coding"] as? [[String: Any]] ?? []
        let code = codings.first { $0["system"] as? String == FHIRSystems.outcome }.flatMap { $0["code"] as? String }.flatMap(
            ReferralOutcome.Code.init(rawValue:))
        return ReferralOutcome(code: code ?? .serviceProvided, summary: (concept?["text"] as? String) ?? "Completed in the partner's system")
    }
}
