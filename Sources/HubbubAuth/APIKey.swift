/// What an API key may do.
public enum APIScope: String, Sendable, CaseIterable {
    /// Publish events into rooms.
    case publish
    /// Read presence and events.
    case read
    /// Manage projects, members, columns and cards; disconnect users. Implies the others.
    case admin
}

/// A service's API key as configured: its name (the `actor.service` of what it publishes),
/// its scopes, and the SHA-256 of the key. The key itself is never configured or stored.
public struct APIKey: Sendable, Hashable {
    public var name: String
    public var scopes: Set<APIScope>
    /// Lowercase hex SHA-256 of the key.
    public var sha256: String

    public init(name: String, scopes: Set<APIScope>, sha256: String) {
        self.name = name
        self.scopes = scopes
        self.sha256 = sha256
    }

    /// `NAME:SCOPE[+SCOPE...]:SHA256HEX`, e.g. `ci-bridge:publish+read:9f86d081...`
    /// (`hubbub api-key` prints a new key and this line). `NAME` is a service name
    /// (`[a-z][a-z0-9_-]{0,63}`).
    public init(argument: String) throws(APIKeyError) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { throw APIKeyError("expected NAME:SCOPES:SHA256HEX") }
        let name = parts[0]
        let nameBytes = Array(name.utf8)
        guard let first = nameBytes.first, nameBytes.count <= 64, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
            nameBytes.allSatisfy({ byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            })
        else { throw APIKeyError("the name must match [a-z][a-z0-9_-]{0,63}") }
        var scopes = Set<APIScope>()
        for scope in parts[1].split(separator: "+") {
            guard let parsed = APIScope(rawValue: String(scope)) else {
                throw APIKeyError("unknown scope \(scope) (publish, read, admin)")
            }
            scopes.insert(parsed)
        }
        guard !scopes.isEmpty else { throw APIKeyError("at least one scope") }
        let hex = parts[2].lowercased()
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ Array("0123456789abcdef".utf8).contains($0) }) else {
            throw APIKeyError("the digest must be 64 hex digits (SHA-256)")
        }
        self.init(name: name, scopes: scopes, sha256: hex)
    }

    public func allows(_ scope: APIScope) -> Bool {
        scopes.contains(.admin) || scopes.contains(scope)
    }
}

public struct APIKeyError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = "API key: " + description }
}

/// The configured keys, looked up by the digest of a presented key.
public struct APIKeyring: Sendable {
    private let keys: [String: APIKey]

    public init(_ keys: [APIKey]) {
        var table: [String: APIKey] = [:]
        for key in keys { table[key.sha256] = key }
        self.keys = table
    }

    public var isEmpty: Bool { keys.isEmpty }

    /// The key whose digest matches `presented`'s. Looking up by digest needs no
    /// constant-time comparison: the digest of a wrong guess reveals nothing useful.
    public func key(for presented: String) -> APIKey? {
        keys[SHA256Digest.hex(of: presented)]
    }
}
