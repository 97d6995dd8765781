import Hummingbird
import ThawCore
import ThawStorage

extension FHIRRoutes {
    /// `GET /fhir/Task/:id/_history`: each version of the Task, newest first.
    @Sendable func taskHistory(_ request: Request, context: CallerContext) async throws -> FHIRResponse<HistoryBundle> {
        try permit(context, .task, .read)
        let versions = try await taskVersions(context)
        return FHIRResponse(HistoryBundle(base: base(request), tasks: versions, timestamp: store.clock.now()))
    }

    /// `GET /fhir/Task/:id/_history/:version`: the Task as it stood at that version.
    @Sendable func readTaskVersion(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRTask> {
        try permit(context, .task, .read)
        guard let wanted = context.parameters.get("version").flatMap(Int.init) else {
            throw ThawError.invalid("version", "integer", "a version is a whole number")
        }
        guard let task = try await taskVersions(context).first(where: { $0.meta?.versionId == String(wanted) }) else {
            throw ThawError.notFound("Task version \(wanted)")
        }
        return FHIRResponse(task, headers: [.eTag: "W/\"\(wanted)\""])
    }

    private func taskVersions(_ context: CallerContext) async throws -> [FHIRTask] {
        let id: ID<Referral> = try context.fhirId("id")
        let access = scoped(context)
        let current = VisibleReferral(try await access.referral(id))
        return try await access.referralHistory(id).map { version in
            var visible = current
            visible.referral = version
            return visible.task
        }
    }
}

/// A `history` Bundle of a Task's versions: each entry with the request that made it.
struct HistoryBundle: Encodable, Sendable {
    var resourceType = "Bundle"
    var type = "history"
    var timestamp: String
    var total: Int
    var entry: [Entry]

    struct Entry: Encodable, Sendable {
        var fullUrl: String
        var resource: FHIRTask
        var request: Request
        var response: Response
    }
    struct Request: Encodable, Sendable { var method: String; var url: String }
    struct Response: Encodable, Sendable { var status: String; var etag: String; var lastModified: String? }

    init(base: String, tasks: [FHIRTask], timestamp: Timestamp) {
        self.timestamp = timestamp.description
        total = tasks.count
        entry = tasks.map { task in
            let version = task.meta?.versionId ?? "1"
            return Entry(
                fullUrl: "\(base)/Task/\(task.id)", resource: task,
                request: Request(method: version == "1" ? "POST" : "PUT", url: version == "1" ? "Task" : "Task/\(task.id)"),
                response: Response(status: version == "1" ? "201" : "200", etag: "W/\"\(version)\"", lastModified: task.meta?.lastUpdated))
        }
    }
}
