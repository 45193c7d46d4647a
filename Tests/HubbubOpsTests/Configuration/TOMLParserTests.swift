import Testing

@testable import HubbubOps

@Suite struct TOMLParserTests {
    func parse(_ text: String) throws -> TOMLDocument {
        try TOMLDocument.parse(text)
    }

    func failure(_ text: String) -> TOMLError? {
        do {
            _ = try TOMLDocument.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func keysTablesAndComments() throws {
        let document = try parse("""
            # hubbub
            listen = "0.0.0.0:8080"   # trailing comment
            max-connections = 5_000

            [jwt]
            secret = 'C:\\no\\escapes'
            "quoted key" = true
            [presence.limits]
            full.max-users = 200
            """)
        #expect(document.entries.map(\.path) == [
            ["listen"], ["max-connections"], ["jwt", "secret"], ["jwt", "quoted key"], ["presence", "limits", "full", "max-users"],
        ])
        #expect(document["listen"] == .string("0.0.0.0:8080"))
        #expect(document["max-connections"] == .integer(5000))
        #expect(document["jwt", "secret"] == .string("C:\\no\\escapes"))
        #expect(document["jwt", "quoted key"] == .boolean(true))
        #expect(document["presence", "limits", "full", "max-users"] == .integer(200))
        #expect(document.entries[2].line == 6 && document.entries[2].column == 1)
        #expect(document.entries[1].line == 3)
    }

    @Test func basicStringEscapes() throws {
        let document = try parse(#"s = "tab\t nl\n quote\" back\\ \u00e9 \U0001F600 \b\f\r""#)
        #expect(document["s"] == .string("tab\t nl\n quote\" back\\ é 😀 \u{08}\u{0C}\r"))
    }

    @Test func numbers() throws {
        let document = try parse("""
            a = 0
            b = -17
            c = +1_000_000
            d = 0xff_ff
            e = 0o755
            f = 0b1010
            g = 3.25
            h = -2e-3
            i = 6.02E+23
            j = 1_000.5
            k = inf
            l = -inf
            m = 9223372036854775807
            n = -9223372036854775808
            """)
        #expect(document["a"] == .integer(0))
        #expect(document["b"] == .integer(-17))
        #expect(document["c"] == .integer(1_000_000))
        #expect(document["d"] == .integer(0xffff))
        #expect(document["e"] == .integer(0o755))
        #expect(document["f"] == .integer(10))
        #expect(document["g"] == .float(3.25))
        #expect(document["h"] == .float(-0.002))
        #expect(document["i"] == .float(6.02e23))
        #expect(document["j"] == .float(1000.5))
        #expect(document["k"] == .float(.infinity))
        #expect(document["l"] == .float(-.infinity))
        #expect(document["m"] == .integer(.max))
        #expect(document["n"] == .integer(.min))
        if case .float(let nan)? = try parse("x = nan")["x"] { #expect(nan.isNaN) } else { Issue.record("nan") }
    }

    @Test func arraysOverSeveralLines() throws {
        let document = try parse("""
            allowed-origin = [
              "https://a.example",  # first
              'https://b.example',
            ]
            empty = []
            mixed = [1, 2.5, true]
            """)
        #expect(document["allowed-origin"] == .array([.string("https://a.example"), .string("https://b.example")]))
        #expect(document["empty"] == .array([]))
        #expect(document["mixed"] == .array([.integer(1), .float(2.5), .boolean(true)]))
    }

    @Test func crlfLineEndings() throws {
        let document = try parse("a = 1\r\n[t]\r\nb = \"x\"\r\n")
        #expect(document["t", "b"] == .string("x"))
    }

    @Test(arguments: [
        ("a = \"\"\"multi\"\"\"", 1, 5, "multi-line strings"),
        ("a = '''multi'''", 1, 5, "multi-line strings"),
        ("a = { b = 1 }", 1, 5, "inline tables"),
        ("[[servers]]", 1, 2, "arrays of tables"),
        ("a = 1979-05-27", 1, 5, "dates and times"),
        ("a = 07:32:00", 1, 5, "dates and times"),
        ("a = 01", 1, 5, "leading zeros"),
        ("a = 1__0", 1, 5, "'_' must sit between digits"),
        ("a = _1", 1, 5, "'_' must sit between digits"),
        ("a = 1.", 1, 5, "invalid number"),
        ("a = .5", 1, 5, "invalid number"),
        ("a = 99999999999999999999", 1, 5, "out of range"),
        ("a = hello", 1, 5, "strings need quotes"),
        ("a = \"open", 1, 10, "unterminated string"),
        ("a = \"bad \\x\"", 1, 10, "invalid escape"),
        ("a = \"\\u12\"", 1, 6, "needs 4 hex digits"),
        ("a = \"\\uD800\"", 1, 6, "not a Unicode scalar"),
        ("a", 1, 2, "expected '='"),
        ("a = ", 1, 5, "expected a value"),
        ("a = 1 b = 2", 1, 7, "expected the end of the line"),
        ("a = [1, 2", 1, 10, "unterminated array"),
        ("a = [1 2]", 1, 8, "expected ',' or ']'"),
        ("é = 1", 1, 1, "bare keys use"),
        ("x = 1\n  y = \"é\" z", 2, 11, "expected the end of the line"),
        ("[t\na = 1", 1, 3, "expected ']'"),
    ] as [(String, Int, Int, String)])
    func errorsSayWhereAndWhat(text: String, line: Int, column: Int, reason: String) throws {
        let error = try #require(failure(text))
        #expect(error.line == line, "\(error)")
        #expect(error.column == column, "\(error)")
        #expect(error.reason.contains(reason), "\(error)")
    }

    @Test func definitionRules() throws {
        #expect(failure("a = 1\na = 2")?.reason == "'a' is set twice")
        #expect(failure("a = 1\na = 2")?.line == 2)
        #expect(failure("[t]\n[t]")?.reason == "table [t] is defined twice")
        #expect(failure("a = 1\n[a]")?.reason == "'a' is already a value, not a table")
        #expect(failure("a = 1\na.b = 2")?.reason == "'a' is already a value, not a table")
        #expect(failure("a.b = 1\na = 2")?.reason == "'a' is already a table")
        #expect(failure("a.b = 1\n[a]")?.reason == "table [a] is defined twice")
        #expect(failure("[a.b]\nc = 1\n[a]\nb.d = 2")?.reason.contains("defined by a header") == true)
        _ = try parse("[a.b]\nc = 1\n[a]\nd = 2")  // a super-table after its sub-table is fine
    }

    @Test func errorDescriptionHasThePosition() {
        let error = TOMLError(line: 3, column: 14, reason: "expected '=' after the key 'x'")
        #expect(error.description == "line 3, column 14: expected '=' after the key 'x'")
    }
}
