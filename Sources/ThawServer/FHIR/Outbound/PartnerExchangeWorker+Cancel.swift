import AsyncHTTPClient
import Foundation
import NIOCore
import ThawCore
import ThawStorage

extension PartnerExchangeWorker {
    /// Tells a partner's system that the referring side cancelled: reads the Task there and puts it
    /// back cancelled, with the reason, against the version read (`If-Match`), as a referral source
    /// using the IG's direct exchange does. A Task already finished there has nothing to cancel.
    func cancel(_ cancellation: OutboundCancellation, _ tokens: SMARTTokenSource) async {
        let endpoint = cancellation.endpoint, url = endpoint.fhirBase + "/" + cancellation.remoteTask
        do {
            var read = HTTPClientRequest(url: url)
            read.headers.add(name: "Accept", value: "application/fhir+json")
            read.headers.add(name: "Authorization", value: "Bearer " + (try await tokens.token(for: endpoint)))
            let current = try await client.execute(read, timeout: .seconds(30))
            let body = try await current.body.collect(upTo: 1 << 20)
            guard current.status.code == 200, var task = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
                return try await failed(cancellation, code: Int(current.status.code), tokens)
            }
            if let status = (task["status"] as? String).flatMap(TaskStatus.init(rawValue:)), status.isTerminal {
                try await store.markOutboundCancelled(cancellation.referralId)
                return
            }
            task["status"] = TaskStatus.cancelled.rawValue
            task["statusReason"] = ["text": cancellation.reason]
            var write = HTTPClientRequest(url: url)
            write.method = .PUT
            write.headers.add(name: "Content-Type", value: "application/fhir+json")
            write.headers.add(name: "Authorization", value: "Bearer " + (try await tokens.token(for: endpoint)))
            if let version = current.headers.first(name: "ETag") { write.headers.add(name: "If-Match", value: version) }
            write.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: task)))
            let answer = try await client.execute(write, timeout: .seconds(30))
            guard answer.status.code == 200 else { return try await failed(cancellation, code: Int(answer.status.code), tokens) }
            try await store.markOutboundCancelled(cancellation.referralId)
            logger.info(
                "cancellation sent to a partner's system",
                metadata: ["referral": .string(cancellation.referralId.raw), "remote": .string(cancellation.remoteTask)])
        } catch {
            logger.warning(
                "cancellation not sent to a partner's system",
                metadata: ["referral": .string(cancellation.referralId.raw), "error": .string(String(describing: error))])
            try? await store.markOutboundCancelFailed(cancellation, error: String(describing: error), refused: false)
        }
    }

    /// A refusal is final; a lapse of authorisation, a race with the partner's own change (409,
    /// 412), a timeout or an overloaded server is tried again after the backoff.
    private func failed(_ cancellation: OutboundCancellation, code: Int, _ tokens: SMARTTokenSource) async throws {
        if code == 401 { await tokens.forget(cancellation.endpoint) }
        let refused = (400..<500).contains(code) && ![401, 408, 409, 412, 429].contains(code)
        try await store.markOutboundCancelFailed(cancellation, error: "the partner's system answered \(code)", refused: refused)
    }
}
