import Testing
@testable import Crate

@Suite("Header scanner")
struct HeaderScannerTests {
    static func scan(_ text: String, chunk: Int, limit: Int = 64 * 1024) -> HeaderScanner {
        var scanner = HeaderScanner(limit: limit)
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunk, bytes.count)
            Array(bytes[offset..<end]).withUnsafeBytes { scanner.consume($0) }
            offset = end
        }
        return scanner
    }

    @Test("fields are found case-insensitively and unfolded, in any chunking", arguments: [1, 2, 5, 1000])
    func unfolded(chunk: Int) {
        let text = "From: a\r\nmessage-id:\r\n  <folded@example.com> \r\nSubject: one\r\n\ttwo\r\n\r\nMessage-ID: <body@x>\r\n"
        let scanner = Self.scan(text, chunk: chunk)
        #expect(scanner.isComplete)
        #expect(scanner.value(of: "Message-ID") == "<folded@example.com>")
        #expect(scanner.value(of: "subject") == "one\ttwo")
        #expect(scanner.value(of: "To") == nil)
    }

    @Test("bare LF headers, empty header, and no header end")
    func endings() {
        #expect(Self.scan("Subject: lf\n\nbody", chunk: 3).value(of: "Subject") == "lf")
        let empty = Self.scan("\nSubject: not a header\n", chunk: 1)
        #expect(empty.isComplete)
        #expect(empty.value(of: "Subject") == nil)
        let open = Self.scan("Subject: still header", chunk: 4)
        #expect(!open.isComplete)
        #expect(open.value(of: "Subject") == "still header")
    }

    @Test("only the first `limit` bytes are kept")
    func limit() {
        let scanner = Self.scan("X-Long: " + String(repeating: "a", count: 10_000) + "\nSubject: late\n\n", chunk: 999, limit: 1000)
        #expect(scanner.isComplete)
        #expect(scanner.bytes.count == 1000)
        #expect(scanner.value(of: "Subject") == nil)
    }

    @Test("8-bit header bytes decode as UTF-8, else Latin-1")
    func eightBit() {
        var scanner = HeaderScanner()
        ([0x53, 0x3A, 0x20, 0xE9, 0x0A, 0x0A] as [UInt8]).withUnsafeBytes { scanner.consume($0) }
        #expect(scanner.value(of: "S") == "é")
    }
}

@Suite("RFC 2047 encoded words")
struct EncodedWordsTests {
    @Test("encoded words are decoded and the space between adjacent ones dropped", arguments: [
        ("plain", "plain"),
        ("=?UTF-8?B?w6l0w6k=?=", "été"),
        ("=?utf-8?q?caf=C3=A9_cr=C3=A8me?=", "café crème"),
        ("=?ISO-8859-1?Q?a=E9?= =?ISO-8859-1?Q?b?=", "aéb"),
        ("Re: =?UTF-8?B?w6k=?= and more", "Re: é and more"),
        ("=?UTF-8*en?B?w6k=?=", "é"),
        ("=?unknown-charset?B?w6k=?=", "=?unknown-charset?B?w6k=?="),
        ("=?UTF-8?X?abc?=", "=?UTF-8?X?abc?="),
        ("=?UTF-8?Q?bad=ZZ?=", "=?UTF-8?Q?bad=ZZ?="),
        ("=?windows-1252?Q?=80?=", "€"),
    ])
    func decode(input: String, expected: String) {
        #expect(EncodedWords.decode(input) == expected)
    }
}
