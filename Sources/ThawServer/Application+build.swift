import Hummingbird
import HummingbirdCore
import NIOCore
import ServiceLifecycle
import Logging
import ThawCore
import ThawStorage

/// Opens the database a URL names: `postgres://...` for PostgreSQL, anything
/// else (`sqlite:file`, or a path) for a SQLite file; then applies migrations.
public func openDatabase(_ url: String, logger: Logger, migrate: Bool = true, durable: Bool = true) async throws -> any SQLDatabase {
    let database = try openDatabaseUnchecked(url, logger: logger, durable: durable)
    try await database.probe()  // a database that cannot be reached says why at once
    if migrate { try await Migrator.migrate(database) }
    return database
}

/// The database a URL names, without reaching it yet (PostgreSQL connects on first use).
public func openDatabaseUnchecked(_ url: String, logger: Logger, durable: Bool = true) throws -> any SQLDatabase {
    if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
        return try PostgresDatabase(url: url, logger: logger)
    }
    let path = url.hasPrefix("sqlite:") ? String(url.dropFirst("sqlite:".count)) : url
    return try SQLiteDatabase(path: path, durable: durable)
}

/// Assembles the application: the entry point and the tests both call this.
///
/// `preparing`: the database still to be reached and migrated (a server on PostgreSQL starts
/// without waiting for it; see `DatabaseReadiness`). nil: it is ready.
public func buildApplication(
    configuration: ServerConfiguration, store: ThawStore,
    logger: Logger? = nil, preparing database: (any SQLDatabase)? = nil
) -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "thaw")
    logger.logLevel = configuration.logLevel
    let readiness = DatabaseReadiness(waitingFor: database == nil ? nil : "connecting to the database")
    let router = buildRouter(configuration: configuration, store: store, readiness: readiness)
    let sweeper = DeadlineSweeper(
        store: store, interval: .seconds(configuration.deadlineSweepSeconds), logger: logger, email: configuration.emailSchedule)
    let background = services(configuration, store: store, logger: logger) + [sweeper]
    let preparation: [any ServiceLifecycle.Service] = database.map { [DatabasePreparation(database: $0, readiness: readiness, logger: logger)] } ?? []
    let limits = configuration.connections
    let registry = ConnectionRegistry(limit: limits.maxConnections)
    let bodyTimeout = TimeAmount.nanoseconds(Int64(limits.idleTimeout / .nanoseconds(1)))
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [ConnectionGuard(registry: registry, bodyTimeout: bodyTimeout)],
        idleTimeout: .nanoseconds(Int64(limits.headerTimeout / .nanoseconds(1))))
    return Application(
        router: router, server: .http1(configuration: http1),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "thaw"),
        services: preparation + background.map { AfterDatabaseReady(service: $0, readiness: readiness) },
        logger: logger)
}

/// The background work: the outbox's deliveries, and email where SMTP is configured.
private func services(_ configuration: ServerConfiguration, store: ThawStore, logger: Logger) -> [any ServiceLifecycle.Service] {
    let poll = Duration.milliseconds(configuration.outboxPollMilliseconds)
    let email = configuration.emailSchedule
    var services: [any ServiceLifecycle.Service] = [
        OutboxWorker(store: store, fhirBase: configuration.baseURL + "/fhir", poll: poll, logger: logger, email: email)
    ]
    services.append(
        PartnerExchangeWorker(
            store: store, ownBase: configuration.baseURL + "/fhir", poll: poll, follow: .seconds(configuration.partnerFollowSeconds), logger: logger))
    services.append(ClimateFoldWorker(store: store, poll: poll, logger: logger))
    if store.changes.isRelayed { services.append(LiveRelayService(changes: store.changes, logger: logger)) }
    if let smtp = configuration.smtp {
        services.append(EmailWorker(store: store, smtp: SMTPClient(configuration: smtp), baseURL: configuration.baseURL, poll: poll, logger: logger))
        services.append(ClientReminderWorker(store: store, smtp: SMTPClient(configuration: smtp), poll: poll, logger: logger))
    }
    return services
}

public func buildRouter(
    configuration: ServerConfiguration, store: ThawStore, metrics: ThawMetrics = ThawMetrics(), readiness: DatabaseReadiness = .ready
) -> Router<ThawRequestContext> {
    let router = Router(context: ThawRequestContext.self)
    let routeMethods = RouteMethods()
    router.add(middleware: RequestLogMiddleware(metrics: metrics))
    router.add(middleware: ReadinessMiddleware(readiness: readiness))
    router.add(middleware: RequestGuardMiddleware(routes: routeMethods))
    OperationsRoutes(store: store, metrics: metrics, readiness: readiness).register(on: router)
    let hasher = PasswordHasher(cost: configuration.bcryptCost)
    WebRoutes(store: store, hasher: hasher, configuration: configuration, metrics: metrics).register(on: router)
    // FHIR R4 for EMRs and partner systems: the same callers, the same scoped reads.
    let fhir = router.group("fhir").add(middleware: FHIRErrorMiddleware()).add(middleware: Authenticator(store: store))
    FHIRRoutes(store: store, configuration: configuration).register(on: fhir)
    SMARTRoutes(store: store, configuration: configuration).register(on: router, fhir: fhir)
    // The service directory in Open Referral HSDS 3.0, public only if the operator says so.
    HSDSRoutes(store: store, configuration: configuration).register(on: router.group("hsds").add(middleware: Authenticator(store: store)))
    // Each API route is registered with its description; the OpenAPI document is made from them.
    let description = APIDescription()
    let apiGroup = router.group("api/v1").add(middleware: Authenticator(store: store))
    let api = DescribedRoutes(group: apiGroup, description: description)
    let auth = AuthRoutes(store: store, hasher: hasher, configuration: configuration)
    auth.registerOpen(on: api)
    // Everything else acts for a caller.
    let callers = DescribedRoutes(group: apiGroup.group(context: CallerContext.self), description: description)
    auth.register(on: callers)
    DirectoryRoutes(store: store, hasher: hasher, configuration: configuration).register(on: callers)
    ClientRoutes(store: store, configuration: configuration).register(on: callers)
    ReferralRoutes(store: store, metrics: metrics, configuration: configuration).register(on: callers)
    TokenRoutes(store: store, configuration: configuration).register(on: callers)
    NotificationRoutes(store: store, configuration: configuration).register(on: callers)
    SMARTClientRoutes(store: store, configuration: configuration).register(on: callers)
    PartnerEndpointRoutes(store: store, configuration: configuration).register(on: callers)
    PartnershipRoutes(store: store, configuration: configuration).register(on: callers)
    NetworkFactsRoutes(store: store, configuration: configuration).register(on: callers)
    SurveyRoutes(store: store, configuration: configuration).register(on: callers)
    ClimateRoutes(store: store, configuration: configuration).register(on: callers)
    EvaluationRoutes(store: store, configuration: configuration).register(on: callers)
    // The document describes itself too; it is made now, so a type whose schema cannot be derived stops
    // the start, not a request.
    let openAPI = APIOperation(.get, "openapi.json", id: "getOpenAPI", tag: "meta", summary: "This document")
    let document = OpenAPIDocument.build(description.operations + [openAPI])
    api.add(openAPI) { _, _ in document }
    routeMethods.load(router.routes.map { (path: $0.path.description, method: $0.method.rawValue) })
    return router
}
