// swift-tools-version:6.1
import PackageDescription

// Layers point inward: thaw → ThawServer → ThawStorage → ThawCore.
// ThawCore has no dependencies at all; it is pure domain logic. ThawClimateFold, under
// ThawStorage, is the climate rebuild's fast fold over the ledger, kept out of the SQL layer.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "thaw",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "thaw", targets: ["thaw"])
    ],
    // Exact versions: the ones built and tested. (Package.resolved stays out of git: the
    // revisions a build machine records for its mirrors would not resolve elsewhere.)
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", exact: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
        // For the SQLite it bundles (3.54, built without SQLite's own malloc statistics), not for its Swift API.
        .package(url: "https://github.com/vapor/sqlite-nio.git", exact: "1.13.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
        // Already under Hummingbird; its HTTP parts type the connection guard's channel handler.
        .package(url: "https://github.com/apple/swift-nio-extras.git", exact: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        // Outbound HTTP: subscription notifications and referrals sent to a partner's own FHIR server
        // (HTTP/1.1 and HTTP/2, TLS through swift-nio-ssl, connection pooling, timeouts).
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        // TLS for email: SMTP's STARTTLS, which an HTTP client cannot do.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        // SMART Backend Services: verifying systems' signed JWT assertions (RS384, ES384) against their registered JWKS.
        .package(url: "https://github.com/vapor/jwt-kit.git", exact: "5.8.0"),
        // REFI-QDA's .qdpx is a zip: written for researchers' tools, and read back (deflated) with their codings.
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", exact: "0.9.20")
    ],
    targets: [
        .target(name: "ThawCore", swiftSettings: strict),
        // The system's zlib (already linked by ZIPFoundation), for inflating uploaded archives with our own bounds.
        .systemLibrary(name: "CThawZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "ThawClimateFold", dependencies: ["ThawCore"], swiftSettings: strict),
        .target(
            name: "ThawStorage",
            dependencies: [
                "ThawCore", "ThawClimateFold",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Brings its C target VaporCSQLite, the SQLite we call (its functions prefixed `sqlite_nio_`).
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto")
            ],
            swiftSettings: strict
        ),
        // Plays planted warm and cold regimes out through the store: the demo's history, tests, benchmarks.
        .target(name: "ThawSimulation", dependencies: ["ThawCore", "ThawStorage"], swiftSettings: strict),
        .target(
            name: "ThawServer",
            dependencies: [
                "ThawCore", "ThawStorage", "ThawSimulation", "CThawZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                // HTTP1Channel's configuration: timeouts and the connection guard.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // HTTPParserError: a request body cut off by the client is its abort, not our failure.
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // LineBasedFrameDecoder: SMTP replies, line by line.
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation")
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "thaw",
            dependencies: [
                "ThawServer", "ThawStorage", "ThawCore", "ThawSimulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `thaw directory import URL` reads HSDS from another directory's server.
                .product(name: "AsyncHTTPClient", package: "async-http-client")
            ],
            swiftSettings: strict
        ),
        // The load generator and bulk seeder behind BENCHMARKS.md (scripts/bench-referrals).
        .executableTarget(
            name: "thaw-load",
            dependencies: [
                "ThawServer", "ThawStorage", "ThawCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                // Its C target VaporCSQLite, for `sql-floor`'s bare SQLite calls.
                .product(name: "SQLiteNIO", package: "sqlite-nio")
            ],
            path: "Benchmarks/ThawLoad"
        ),
        .testTarget(name: "ThawCoreTests", dependencies: ["ThawCore"]),
        // Shared fixtures (a small network, fresh databases) for the test targets.
        .target(
            name: "ThawTestSupport", dependencies: ["ThawStorage", "ThawCore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/ThawTestSupport"),
        .testTarget(name: "ThawStorageTests", dependencies: ["ThawStorage", "ThawClimateFold", "ThawCore", "ThawTestSupport"]),
        .testTarget(name: "ThawSimulationTests", dependencies: ["ThawSimulation", "ThawStorage", "ThawCore", "ThawTestSupport"]),
        .testTarget(
            name: "ThawServerTests",
            dependencies: [
                "ThawServer", "ThawStorage", "ThawCore", "ThawTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth")
            ]
        )
    ]
)
