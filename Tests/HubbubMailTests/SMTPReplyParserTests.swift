import Testing

@testable import HubbubMail

@Suite("SMTP reply parser")
struct SMTPReplyParserTests {
    private func replies(_ chunks: [String], parser: SMTPReplyParser = SMTPReplyParser()) throws -> [SMTPReply] {
        var parser = parser
        var out: [SMTPReply] = []
        for chunk in chunks {
            parser.append(Array(chunk.utf8))
            while let reply = try parser.next() { out.append(reply) }
        }
        return out
    }

    @Test func singleAndMultiLineReplies() throws {
        let got = try replies([
            "220 mx.example ESMTP ready\r\n",
            "250-mx.example greets you\r\n250-SIZE 1000\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n",
            "354\r\n",
        ])
        #expect(got == [
            SMTPReply(code: 220, lines: ["mx.example ESMTP ready"]),
            SMTPReply(code: 250, lines: ["mx.example greets you", "SIZE 1000", "AUTH PLAIN LOGIN", "STARTTLS"]),
            SMTPReply(code: 354, lines: [""]),
        ])
        #expect(got[0].isPositive && got[2].isIntermediate)
    }

    @Test func repliesSplitAnywhereAndBareLF() throws {
        let text = "250-first\r\n250-second\n250 last\r\n451 4.3.0 later\r\n"
        for cut in 0...text.utf8.count {
            let bytes = Array(text.utf8)
            var parser = SMTPReplyParser()
            var got: [SMTPReply] = []
            for chunk in [bytes[..<cut], bytes[cut...]] {
                parser.append(chunk)
                while let reply = try parser.next() { got.append(reply) }
            }
            #expect(got.map(\.code) == [250, 451], "cut at \(cut)")
            #expect(got.first?.lines == ["first", "second", "last"])
            #expect(got.last?.isTransientFailure == true)
            #expect(!parser.hasPartialReply)
        }
    }

    @Test func partialReplyWaitsForMore() throws {
        var parser = SMTPReplyParser()
        parser.append(Array("250-one\r\n250 tw".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.hasPartialReply)
        parser.append(Array("o\r\n".utf8))
        #expect(try parser.next() == SMTPReply(code: 250, lines: ["one", "two"]))
    }

    @Test(arguments: [
        "hello\r\n", "25\r\n", "2500 x\r\n", "250_x\r\n", "650 nope\r\n", "150 nope\r\n", "abc def\r\n",
        "250-a\r\n354 b\r\n",
    ])
    func malformedRepliesAreErrors(_ text: String) {
        var parser = SMTPReplyParser()
        parser.append(Array(text.utf8))
        #expect(throws: SMTPError.self) {
            while try parser.next() != nil {}
        }
    }

    @Test func limits() {
        var long = SMTPReplyParser(maxLineLength: 16, maxLines: 3)
        long.append(Array("250 this line is far too long\r\n".utf8))
        #expect(throws: SMTPError.self) { try long.next() }
        var endless = SMTPReplyParser(maxLineLength: 16, maxLines: 3)
        endless.append(Array(repeating: UInt8(ascii: "x"), count: 17))
        #expect(throws: SMTPError.self) { try endless.next() }
        var many = SMTPReplyParser(maxLineLength: 16, maxLines: 3)
        many.append(Array("250-a\r\n250-b\r\n250-c\r\n250 d\r\n".utf8))
        #expect(throws: SMTPError.self) { try many.next() }
    }

    @Test func errorClassification() {
        let busy = SMTPReply(code: 451, lines: ["later"])
        let refused = SMTPReply(code: 550, lines: ["no such user"])
        #expect(!SMTPError.reply(busy, at: .rcptTo).isPermanent)
        #expect(SMTPError.reply(refused, at: .rcptTo).isPermanent)
        #expect(SMTPError.reply(refused, at: .dataEnd).isPermanent)
        #expect(!SMTPError.reply(refused, at: .greeting).isPermanent, "a 5xx about the session is transient")
        #expect(!SMTPError.reply(SMTPReply(code: 535, lines: ["bad credentials"]), at: .auth).isPermanent)
        #expect(!SMTPError.timeout(at: .dataEnd).isPermanent)
        #expect(!SMTPError.connection("refused", at: .connect).isPermanent)
        #expect(SMTPError.invalidAddress("x", at: .rcptTo).isPermanent)
        #expect(SMTPError.reply(refused, at: .rcptTo).description == "server replied 550 no such user at rcpt-to")
    }
}
