import HubbubWebSocket
import ArgumentParser
import Glibc
import HubbubAuth
import HubbubHub
import HubbubPostgres
import HubbubPresence

/// The flags of `hubbub serve` that configure the hub on `/ws` (docs/configuration.md).
struct HubOptions: ParsableArguments {
    @Option(help: "Directory of the embedded database (default ./hubbub-data, or $HUBBUB_DATA_DIR).")
    var dataDir: String?

    @Option(help: "Use PostgreSQL: a libpq URL (postgres://user:pass@host:5432/db?sslmode=verify-full) or key/value string (or $HUBBUB_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "PostgreSQL connections (each on its own thread).")
    var databasePoolSize = 4

    @Option(help: "PostgreSQL statement timeout.")
    var databaseStatementTimeout = DurationArgument(seconds: 10)

    @Flag(help: "Apply pending PostgreSQL migrations at start-up (else `hubbub migrate` must have run).")
    var databaseMigrate = false

    @Option(help: "Join a cluster of nodes sharing this Redis, redis://[:password@]host:port[/db] (or $HUBBUB_REDIS_URL); the nodes must share one PostgreSQL database.")
    var redisURL: String?

    @Option(help: "This node's id in the cluster (default: host name, process id and a random part).")
    var nodeID: String?

    @Option(help: "A node whose heartbeat is older than this is dead: the others announce its users' leaves.")
    var clusterNodeTtl = DurationArgument(seconds: 1.5)

    @Option(help: "How often a node heartbeats and checks the others' heartbeats.")
    var clusterHeartbeat = DurationArgument(seconds: 0.5)

    @Option(help: "How long a room waits for another node's missing event before reading it from the store.")
    var clusterGapTimeout = DurationArgument(seconds: 0.2)

    @Option(help: "HS256 secret for client tokens, at least 32 bytes (or $HUBBUB_JWT_SECRET).")
    var jwtSecret: String?

    @Option(help: "A PEM public key for RS256/ES256 tokens, [KID=]FILE (repeatable).")
    var jwtPublicKey: [String] = []

    @Option(help: "Required token issuer (iss), if any.")
    var jwtIssuer: String?

    @Option(help: "Required token audience (aud), if any.")
    var jwtAudience: String?

    @Option(help: "A user whose last connection ends stays present this long.")
    var presenceGrace = DurationArgument(seconds: 15)

    @Option(help: "Presence changes are batched into one diff per room over this window.")
    var presenceBatchWindow = DurationArgument(seconds: 0.05)

    @Option(help: "A room with more users than this switches to counts mode.")
    var presenceFullMaxUsers = 200

    @Option(help: "A room in counts mode switches back at this many users or fewer.")
    var presenceFullMinUsers = 150

    @Option(help: "Without a token on the upgrade, auth must arrive within this time (close 4002).")
    var authTimeout = DurationArgument(seconds: 10)

    @Option(help: "token_expiring is sent this long before the token expires.")
    var tokenWarning = DurationArgument(seconds: 60)

    @Option(help: "Most events a join with since_seq may replay (resync_required beyond).")
    var maxCatchupEvents = 1000

    @Option(help: "Commands per second per connection (token bucket rate).")
    var commandsPerSecond = 10
    @Option(help: "Commands burst per connection.")
    var commandsBurst = 30
    @Option(help: "presence_update per second per connection.")
    var presenceUpdatesPerSecond = 5
    @Option(help: "presence_update burst per connection.")
    var presenceUpdatesBurst = 10
    @Option(help: "ephemeral per second per connection.")
    var ephemeralPerSecond = 30
    @Option(help: "ephemeral burst per connection.")
    var ephemeralBurst = 60

    @Option(help: "Most connections one user may hold (429 / close 4503 beyond).")
    var maxConnectionsPerUser = 20
    @Option(help: "Most rooms one connection may join.")
    var maxRoomsPerConnection = 50
    @Option(help: "Largest comment text, UTF-8 bytes.")
    var maxCommentBytes = 10_000
    @Option(help: "Largest card title, UTF-8 bytes.")
    var maxTitleBytes = 500
    @Option(help: "Largest presence state, bytes of compact JSON.")
    var maxPresenceStateBytes = 1024
    @Option(help: "Largest ephemeral data, bytes of compact JSON.")
    var maxEphemeralBytes = 4096
    @Option(help: "Most cards on one board.")
    var maxCardsPerBoard = 5000
    @Option(help: "Most commands in one store transaction (group commit).")
    var maxCommitBatch = 512

    @Option(help: "An HTTP API key, NAME:SCOPES:SHA256HEX (repeatable; or $HUBBUB_API_KEYS, comma-separated). `hubbub api-key` makes one.")
    var apiKey: [String] = []
    @Option(help: "HTTP API requests per second per key.")
    var apiRequestsPerSecond = 100
    @Option(help: "HTTP API burst per key.")
    var apiBurst = 200

    func validate() throws {
        let positive: [(String, Int)] = [
            ("--presence-full-max-users", presenceFullMaxUsers), ("--max-catchup-events", maxCatchupEvents),
            ("--commands-per-second", commandsPerSecond), ("--commands-burst", commandsBurst),
            ("--presence-updates-per-second", presenceUpdatesPerSecond), ("--presence-updates-burst", presenceUpdatesBurst),
            ("--ephemeral-per-second", ephemeralPerSecond), ("--ephemeral-burst", ephemeralBurst),
            ("--max-connections-per-user", maxConnectionsPerUser), ("--max-rooms-per-connection", maxRoomsPerConnection),
            ("--max-comment-bytes", maxCommentBytes), ("--max-title-bytes", maxTitleBytes),
            ("--max-presence-state-bytes", maxPresenceStateBytes), ("--max-ephemeral-bytes", maxEphemeralBytes),
            ("--max-cards-per-board", maxCardsPerBoard), ("--max-commit-batch", maxCommitBatch),
            ("--api-requests-per-second", apiRequestsPerSecond), ("--api-burst", apiBurst),
            ("--database-pool-size", databasePoolSize),
        ]
        for (flag, value) in positive where value < 1 { throw ValidationError("\(flag) must be at least 1") }
        guard presenceFullMinUsers >= 0, presenceFullMinUsers <= presenceFullMaxUsers else {
            throw ValidationError("--presence-full-min-users must be between 0 and --presence-full-max-users")
        }
        guard authTimeout.nanoseconds > 0 else { throw ValidationError("--auth-timeout must be positive") }
    }

    /// The store to open: PostgreSQL with a URL, else the data directory's SQLite file.
    func storeLocation(_ dataDirectory: DataDirectory) -> StoreLocation {
        var configuration = PostgresStore.Configuration()
        configuration.poolSize = databasePoolSize
        configuration.statementTimeout = .nanoseconds(Int64(databaseStatementTimeout.nanoseconds))
        configuration.migrateOnOpen = databaseMigrate
        return StoreLocation.resolve(databaseURL: databaseURL, dataDirectory: dataDirectory, configuration: configuration)
    }

    /// The API keys from the flags and `HUBBUB_API_KEYS`.
    func apiKeys() throws -> [APIKey] {
        var arguments = apiKey
        if let value = getenv("HUBBUB_API_KEYS") {
            arguments += String(cString: value).split(separator: ",").map { $0.filter { $0 != " " } }
        }
        do {
            return try arguments.filter { !$0.isEmpty }.map { argument throws(APIKeyError) in try APIKey(argument: argument) }
        } catch {
            throw ValidationError("--api-key: \(error)")
        }
    }

    /// The secret from the flag, else the environment.
    var resolvedSecret: String? {
        if let jwtSecret, !jwtSecret.isEmpty { return jwtSecret }
        if let value = getenv("HUBBUB_JWT_SECRET") { return String(cString: value) }
        return nil
    }

    /// The verifier for the configured keys; with none, the development secret of the
    /// data directory (created on first use), and `usedDevelopmentSecret` says so.
    func verifier(dataDirectory: DataDirectory) throws -> (JWTVerifier, usedDevelopmentSecret: Bool) {
        var secret = resolvedSecret
        var development = false
        if secret == nil, jwtPublicKey.isEmpty {
            do {
                secret = try DevelopmentSecret.loadOrCreate(in: dataDirectory)
                development = true
            } catch {
                throw ValidationError("no --jwt-secret given and cannot create \(DevelopmentSecret.path(in: dataDirectory)): \(error)")
            }
        }
        do {
            let configuration = try JWTVerifier.Configuration(
                secret: secret, publicKeyArguments: jwtPublicKey, issuer: jwtIssuer, audience: jwtAudience)
            return (try JWTVerifier(configuration: configuration), development)
        } catch {
            throw ValidationError("token keys: \(error)")
        }
    }

    func configuration(maxMessageBytes: Int, maxFrameBytes: Int, maxSendQueueBytes: Int) -> HubConfiguration {
        var hub = HubConfiguration()
        hub.webSocket.maxMessageSize = maxMessageBytes
        hub.webSocket.maxFrameSize = maxFrameBytes
        hub.maxSendQueueBytes = maxSendQueueBytes
        hub.commands.maxCommentBytes = maxCommentBytes
        hub.commands.maxTitleBytes = maxTitleBytes
        hub.commands.maxPresenceStateBytes = maxPresenceStateBytes
        hub.commands.maxEphemeralBytes = maxEphemeralBytes
        hub.maxRoomsPerConnection = maxRoomsPerConnection
        hub.maxConnectionsPerUser = maxConnectionsPerUser
        hub.maxCardsPerBoard = maxCardsPerBoard
        hub.maxCommitBatch = maxCommitBatch
        hub.commandsPerSecond = Double(commandsPerSecond)
        hub.commandsBurst = commandsBurst
        hub.ephemeralPerSecond = Double(ephemeralPerSecond)
        hub.ephemeralBurst = ephemeralBurst
        hub.presence = PresenceConfiguration(
            gracePeriod: presenceGrace.nanoseconds, batchWindow: presenceBatchWindow.nanoseconds,
            largeRoomThreshold: presenceFullMaxUsers, largeRoomExitThreshold: presenceFullMinUsers,
            maxMetaBytes: maxPresenceStateBytes, updatesPerSecond: Double(presenceUpdatesPerSecond),
            updateBurst: presenceUpdatesBurst)
        hub.authTimeout = authTimeout.nanoseconds
        hub.tokenWarning = tokenWarning.nanoseconds
        hub.maxCatchupEvents = maxCatchupEvents
        return hub
    }
}
