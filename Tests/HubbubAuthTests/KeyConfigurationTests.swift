import Foundation
import HubbubAuth
import Testing

/// Keys and verifier settings: what is accepted, and the exact reason for what is not.
@Suite struct KeyConfigurationTests {
    // MARK: Secrets

    @Test func secretsShorterThan32BytesAreRefused() throws {
        #expect(JWTKey.minimumSecretLength == 32)
        #expect(throws: JWTError.keyError("HS256 secrets must be at least 32 bytes")) {
            try JWTKey.hs256(secret: Array(TestData.secret.dropLast()))
        }
        #expect(throws: JWTError.keyError("HS256 secrets must be at least 32 bytes")) {
            try JWTKey.hs256(secret: "secret")
        }
        #expect(try JWTKey.hs256(secret: TestData.secret).algorithm == .hs256)
    }

    @Test func emptyKidIsRefused() throws {
        #expect(throws: JWTError.keyError("empty key id")) { try JWTKey.hs256(secret: TestData.secret, kid: "") }
        #expect(throws: JWTError.keyError("empty key id")) { try JWTKey.publicKey(pem: Fixtures.ecPublic, kid: "") }
    }

    // MARK: Public keys

    @Test func keyTypeDecidesTheAlgorithm() throws {
        #expect(try JWTKey.publicKey(pem: Fixtures.rsaPublic).algorithm == .rs256)
        #expect(try JWTKey.publicKey(pem: Fixtures.rsaCertificate).algorithm == .rs256)
        #expect(try JWTKey.publicKey(pem: Fixtures.ecPublic, kid: "k").algorithm == .es256)
        #expect(try JWTKey.publicKey(pem: Fixtures.ecCertificate).kid == nil)
        #expect(try JWTKey.publicKey(pem: Fixtures.ecPublic, kid: "k").kid == "k")
    }

    @Test func unsuitableKeysAreRefused() throws {
        #expect(throws: JWTError.keyError("RSA keys must have at least 2048 bits")) {
            try JWTKey.publicKey(pem: Fixtures.rsa1024Public)
        }
        #expect(throws: JWTError.keyError("EC keys must be on curve P-256")) {
            try JWTKey.publicKey(pem: Fixtures.p384Public)
        }
        #expect(throws: JWTError.keyError("unsupported key type (RS256 needs RSA, ES256 needs EC P-256)")) {
            try JWTKey.publicKey(pem: Fixtures.ed25519Public)
        }
    }

    @Test func privateKeyIsNotAPublicKey() throws {
        #expect(throws: JWTError.keyError("expected a public key or certificate, found a private key")) {
            try JWTKey.publicKey(pem: Fixtures.rsaPrivate)
        }
    }

    @Test(arguments: [
        "", "hello", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        String(Fixtures.rsaPublic.dropLast(40)),
    ])
    func garbageIsNotAPublicKey(pem: String) throws {
        #expect(throws: JWTError.keyError("expected a PEM public key (BEGIN PUBLIC KEY) or certificate")) {
            try JWTKey.publicKey(pem: pem)
        }
    }

    @Test func brokenCertificateIsRefused() throws {
        let broken = Fixtures.ecCertificate.replacingOccurrences(of: "\n", with: "\nA", options: [], range: nil)
        #expect(throws: JWTError.keyError("not a valid PEM certificate")) { try JWTKey.publicKey(pem: broken) }
    }

    // MARK: Files and flags

    private func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hubbub-auth-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    private func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    @Test func keyFromFileAndFromFlagArguments() throws {
        try withTemporaryDirectory { directory in
            let rsa = directory.appendingPathComponent("rsa.pem")
            let ec = directory.appendingPathComponent("ec.crt")
            try write(Fixtures.rsaPublic, to: rsa)
            try write(Fixtures.ecCertificate, to: ec)

            let plain = try JWTKey.publicKey(file: rsa.path)
            #expect(plain.kid == nil && plain.algorithm == .rs256)
            let named = try JWTKey.publicKey(argument: "main=\(ec.path)")
            #expect(named.kid == "main" && named.algorithm == .es256)
            let unnamed = try JWTKey.publicKey(argument: rsa.path)
            #expect(unnamed.kid == nil && unnamed.algorithm == .rs256)
        }
    }

    @Test func equalsSignInADirectoryNameIsPartOfThePath() throws {
        try withTemporaryDirectory { directory in
            let odd = directory.appendingPathComponent("a=b", isDirectory: true)
            try FileManager.default.createDirectory(at: odd, withIntermediateDirectories: true)
            let file = odd.appendingPathComponent("key.pem")
            try write(Fixtures.ecPublic, to: file)
            #expect(try JWTKey.publicKey(argument: file.path).kid == nil)
            #expect(try JWTKey.publicKey(argument: "k=\(file.path)").kid == "k")
        }
    }

    @Test(arguments: ["", "=file.pem", "kid="])
    func emptyPartsOfAFlagAreRefused(argument: String) throws {
        #expect(throws: JWTError.keyError("expected FILE or KID=FILE")) { try JWTKey.publicKey(argument: argument) }
    }

    @Test func fileErrorsNameTheFile() throws {
        try withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("missing.pem").path
            #expect(throws: JWTError.keyError("\(missing): cannot open file")) { try JWTKey.publicKey(file: missing) }
            #expect(throws: JWTError.keyError("\(directory.path): cannot read file")) {
                try JWTKey.publicKey(file: directory.path)
            }
            let small = directory.appendingPathComponent("small.pem")
            try write(Fixtures.rsa1024Public, to: small)
            #expect(throws: JWTError.keyError("\(small.path): RSA keys must have at least 2048 bits")) {
                try JWTKey.publicKey(argument: "k=\(small.path)")
            }
            let junk = directory.appendingPathComponent("junk.pem")
            try write("junk", to: junk)
            #expect(
                throws: JWTError.keyError("\(junk.path): expected a PEM public key (BEGIN PUBLIC KEY) or certificate")
            ) { try JWTKey.publicKey(file: junk.path) }
        }
    }

    @Test func configurationFromCommandLineValues() throws {
        try withTemporaryDirectory { directory in
            let rsa = directory.appendingPathComponent("rsa.pem")
            let ec = directory.appendingPathComponent("ec.pem")
            try write(Fixtures.rsaPublic, to: rsa)
            try write(Fixtures.ecPublic, to: ec)
            let configuration = try JWTVerifier.Configuration(
                secret: "0123456789abcdef0123456789abcdef", publicKeyArguments: [rsa.path, "ec-1=\(ec.path)"],
                clockSkew: 5, issuer: "iss", audience: "aud", maxTokenLength: 4096)
            #expect(configuration.keys.map(\.algorithm) == [.hs256, .rs256, .es256])
            #expect(configuration.keys.map(\.kid) == [nil, nil, "ec-1"])
            #expect(configuration.clockSkew == 5 && configuration.maxTokenLength == 4096)
            #expect(configuration.issuer == "iss" && configuration.audience == "aud")

            let verifier = try JWTVerifier(configuration: configuration)
            let claims = JWTClaims(subject: "u", expiresAt: TestData.now + 60, issuer: "iss", audience: ["aud"])
            let token = try JWTSigner.sign(claims: claims, key: TestData.ecSigningKey(), kid: "ec-1")
            #expect(try verifier.verify(token, now: TestData.now) == claims)
        }
    }

    @Test func configurationWithoutFlagsHasNoKeys() throws {
        let configuration = try JWTVerifier.Configuration(secret: nil, publicKeyArguments: [])
        #expect(configuration.keys.isEmpty)
        #expect(throws: JWTError.invalidConfiguration("no keys configured")) {
            try JWTVerifier(configuration: configuration)
        }
        #expect(throws: JWTError.keyError("HS256 secrets must be at least 32 bytes")) {
            try JWTVerifier.Configuration(secret: "short", publicKeyArguments: [])
        }
    }

    // MARK: Verifier settings

    @Test func invalidVerifierSettings() throws {
        let key = try JWTKey.hs256(secret: TestData.secret)
        #expect(throws: JWTError.invalidConfiguration("no keys configured")) { try JWTVerifier(keys: []) }
        #expect(throws: JWTError.invalidConfiguration("key id 'a' is used twice")) {
            try JWTVerifier(keys: [
                .hs256(secret: TestData.secret, kid: "a"), .publicKey(pem: Fixtures.ecPublic, kid: "a"),
            ])
        }
        #expect(throws: JWTError.invalidConfiguration("clock skew and expiry leeway must not be negative")) {
            try JWTVerifier(keys: [key], clockSkew: -1)
        }
        #expect(throws: JWTError.invalidConfiguration("maximum token length must be at least 16 bytes")) {
            try JWTVerifier(keys: [key], maxTokenLength: 15)
        }
        #expect(throws: JWTError.invalidConfiguration("required issuer is empty")) {
            try JWTVerifier(keys: [key], issuer: "")
        }
        #expect(throws: JWTError.invalidConfiguration("required audience is empty")) {
            try JWTVerifier(keys: [key], audience: "")
        }
        // Several keys without a kid are fine.
        #expect(try JWTVerifier(keys: [key, key]).configuration.keys.count == 2)
    }

    // MARK: Signing keys

    @Test func signingKeyErrors() throws {
        #expect(throws: JWTError.keyError("expected an unencrypted PEM private key")) {
            try JWTSigningKey.privateKey(pem: Fixtures.ecEncryptedPrivate)
        }
        #expect(throws: JWTError.keyError("expected an unencrypted PEM private key")) {
            try JWTSigningKey.privateKey(pem: Fixtures.ecPublic)
        }
        #expect(throws: JWTError.keyError("RSA keys must have at least 2048 bits")) {
            try JWTSigningKey.privateKey(pem: Fixtures.rsa1024Private)
        }
        #expect(throws: JWTError.keyError("EC keys must be on curve P-256")) {
            try JWTSigningKey.privateKey(pem: Fixtures.p384Private)
        }
        #expect(throws: JWTError.keyError("HS256 signs with a secret, not a private key")) {
            try JWTSigner.sign(claims: TestData.claims, algorithm: .hs256, privateKeyPEM: Fixtures.rsaPrivate)
        }
        #expect(throws: JWTError.keyError("the key signs ES256, not RS256")) {
            try JWTSigner.sign(claims: TestData.claims, algorithm: .rs256, privateKeyPEM: Fixtures.ecPrivate)
        }
    }
}
