import Foundation
import Testing

@testable import HubbubStore

@Suite("Payload encoding")
struct EncodingTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1_748_865_600_010, "2025-06-02T12:00:00.010Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (4_102_444_799_999, "2099-12-31T23:59:59.999Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
    ])
    func rfc3339(millis: Int64, expected: String) {
        #expect(RFC3339.format(unixMillis: millis) == expected)
    }

    /// Every millisecond offset within a few days around a leap day agrees with Foundation.
    @Test func rfc3339AgreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var millis: Int64 = 1_709_078_400_000  // 2024-02-28
        while millis < 1_709_337_600_000 {  // 2024-03-02
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
            #expect(RFC3339.format(unixMillis: millis) == expected)
            millis += 3_599_999
        }
    }

    @Test func uuidV7() {
        let id = UUIDv7.make(unixMillis: 0x0192_3456_789A)
        #expect(id.hasPrefix("01923456-789a-7"))
        #expect(StoreContract.isUUIDv7(id))
        #expect(UUIDv7.make(unixMillis: 1) != UUIDv7.make(unixMillis: 1))
    }

    @Test func jsonStringsRoundTrip() throws {
        let tricky = "quote \" backslash \\ slash / nl \n cr \r tab \t nul \u{0} bell \u{7} us \u{1F} é 漢字 🚀 \u{7F}"
        var json = JSONBuffer()
        json.raw("{")
        json.key("s")
        json.string(tricky)
        json.raw("}")
        #expect(try JSON.object(json.text).string("s") == tricky)
        #expect(json.text.contains("\\u0000") && json.text.contains("\\u001f"))
    }

    @Test func excerptCutsAt200CodePoints() {
        let exact = String(repeating: "é", count: 200)
        #expect(NotificationPayload.excerpt(exact) == exact)
        #expect(NotificationPayload.excerpt(exact + "x") == exact + "\u{2026}")
        let flags = String(repeating: "🇫🇷", count: 150)  // 2 code points each
        #expect(NotificationPayload.excerpt(flags).unicodeScalars.count == 201)
        #expect(NotificationPayload.excerpt("") == "")
    }

    /// The fingerprint is persisted with every request key: it must never change for a
    /// given command, or retries across an upgrade would be refused as reused keys.
    @Test func fingerprintIsStable() {
        let comment = Command(
            room: "apollo", actor: .user(id: "u", name: "U"), correlationID: "c1",
            kind: .comment(cardID: "card_12", text: "hello @bob", mentions: ["u_bob"], notifyOffline: []), time: 1)
        // FNV-1a 64 of the length-prefixed (8 bytes, little-endian) "apollo", "comment", "card_12", "hello @bob".
        #expect(CommandFingerprint(comment).value == 0x5694_3DD8_BE66_E470)
        var later = comment
        later.time = 99
        later.correlationID = "c2"
        later.actor = .service("x")
        later.kind = .comment(cardID: "card_12", text: "hello @bob", mentions: [], notifyOffline: ["u_bob"])
        #expect(CommandFingerprint(later).value == CommandFingerprint(comment).value)
        let moves = [(0, 1), (1, 0)].map { position, version in
            CommandFingerprint(
                Command(
                    room: "apollo", actor: .service("x"), correlationID: "c",
                    kind: .moveCard(cardID: "c", toColumn: "d", toPosition: position, expectedVersion: version),
                    time: 0)
            ).value
        }
        #expect(moves[0] != moves[1])
        let splits = [("ab", "c"), ("a", "bc")].map { type, payload in
            CommandFingerprint(
                Command(
                    room: "r", actor: .service("x"), correlationID: "c",
                    kind: .custom(type: type, payload: payload, notify: []), time: 0)
            ).value
        }
        #expect(splits[0] != splits[1], "fields are length-prefixed")
    }
}
