// swift-tools-version:6.0
import PackageDescription

// Swift 6 language mode everywhere (the default for tools-version 6), with the
// upcoming features the style guide asks for.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "hubbub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hubbub", targets: ["hubbub"]),
        .executable(name: "hubbub-load", targets: ["hubbub-load"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C libraries, imported through module maps only (no C code of our own).
        .systemLibrary(name: "CURing", path: "Sources/CURing", providers: [.apt(["liburing-dev"])]),
        .systemLibrary(name: "CHiredis", path: "Sources/CHiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),

        // I/O-free protocol layers.
        .target(name: "HubbubHTTP", dependencies: ["COpenSSL"], swiftSettings: swiftSettings),
        .target(name: "HubbubWebSocket", swiftSettings: swiftSettings),

        // JSON: a strict bounded parser and a one-pass writer, shared by every layer.
        .target(name: "HubbubJSON", swiftSettings: swiftSettings),
        // Identity: JWT verification (HS256, RS256, ES256) and minting for development.
        .target(name: "HubbubAuth", dependencies: ["COpenSSL", "HubbubJSON"], swiftSettings: swiftSettings),
        // Presence: the pure per-room state (metas, grace, diffs), no I/O.
        .target(name: "HubbubPresence", swiftSettings: swiftSettings),
        // Storage: the Store protocol and its embedded SQLite implementation.
        .target(name: "HubbubStore", dependencies: ["CSQLite"], swiftSettings: swiftSettings),

        // The production store: PostgreSQL through libpq, behind the same Store protocol.
        .target(
            name: "HubbubPostgres",
            dependencies: ["CLibPQ", "HubbubStore", "HubbubSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),

        // Small pieces several modules share (reconnect backoff).
        .target(name: "HubbubSupport", swiftSettings: swiftSettings),
        // Scale-out: the Broker protocol, an in-memory broker and a Redis one on hiredis.
        .target(
            name: "HubbubBroker",
            dependencies: ["CHiredis", "HubbubSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // The e-mail queue: SMTP (STARTTLS through OpenSSL), digests, .eml files.
        .target(
            name: "HubbubMail",
            dependencies: ["COpenSSL", "HubbubStore", "HubbubJSON", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // Operations: metrics (Prometheus text), JSON logs, the configuration file.
        .target(
            name: "HubbubOps",
            dependencies: ["HubbubJSON", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),

        // The data plane: io_uring and epoll event loops.
        .target(
            name: "HubbubIO",
            dependencies: ["CURing", "CLinux", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),

        // The server: connections, routing, limits, shutdown.
        .target(
            name: "HubbubServer",
            dependencies: [
                "HubbubIO", "HubbubHTTP", "HubbubWebSocket",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The hub: protocol hubbub.v1 at /ws, rooms, presence, collaboration events.
        .target(
            name: "HubbubHub",
            dependencies: [
                "HubbubServer", "HubbubIO", "HubbubHTTP", "HubbubWebSocket", "HubbubAuth",
                "HubbubPresence", "HubbubStore", "HubbubJSON", "HubbubOps", "HubbubBroker",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "hubbub",
            dependencies: [
                "HubbubServer", "HubbubIO", "HubbubHTTP", "HubbubWebSocket", "HubbubAuth",
                "HubbubHub", "HubbubStore", "HubbubJSON", "HubbubPostgres", "HubbubMail", "HubbubOps", "HubbubBroker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "hubbub-load",
            dependencies: [
                "HubbubIO", "HubbubHTTP", "HubbubWebSocket", "HubbubAuth", "HubbubJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "LoadTests/hubbub-load",
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "HubbubHTTPTests", dependencies: ["HubbubHTTP"], swiftSettings: swiftSettings),
        .testTarget(name: "HubbubWebSocketTests", dependencies: ["HubbubWebSocket"], swiftSettings: swiftSettings),
        .testTarget(name: "HubbubBrokerTests", dependencies: ["HubbubBroker", "HubbubSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "HubbubMailTests", dependencies: ["HubbubMail", "HubbubStore"], swiftSettings: swiftSettings),
        .testTarget(name: "HubbubOpsTests", dependencies: ["HubbubOps", "HubbubJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "HubbubJSONTests", dependencies: ["HubbubJSON"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HubbubHubTests",
            dependencies: ["HubbubHub", "HubbubJSON", "HubbubStore", "HubbubPresence", "HubbubBroker"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "HubbubAuthTests", dependencies: ["HubbubAuth"], swiftSettings: swiftSettings),
        .testTarget(name: "HubbubPresenceTests", dependencies: ["HubbubPresence"], swiftSettings: swiftSettings),
        .testTarget(name: "HubbubStoreTests", dependencies: ["HubbubStore", "HubbubPostgres", "HubbubSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "HubbubIOTests", dependencies: ["HubbubIO"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HubbubServerTests",
            dependencies: ["HubbubServer", "HubbubIO", "HubbubHTTP", "HubbubWebSocket"],
            swiftSettings: swiftSettings
        ),
    ]
)
