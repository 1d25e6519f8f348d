import Foundation

extension ScriptedIMAPServer {
    /// One step of the script a connection plays, in order.
    ///
    /// ```
    /// [.send("* OK [CAPABILITY IMAP4rev1 LITERAL+] ready"),
    ///  .expect(command: "LOGIN"), .sendTagged("OK LOGIN completed"),
    ///  .expect(command: "SELECT"), .send("* 3 EXISTS"), .sendTagged("OK [READ-WRITE] done"),
    ///  .expect(command: "UID FETCH"), .send("* 1 FETCH (UID 7 BODY[] {100}"),
    ///  .sendRaw(Array(repeating: 65, count: 40)), .close]          // drop mid-literal
    /// ```
    /// In `send` text, `{tag}` stands for the tag of the last command line received.
    public enum Step: Sendable {
        /// Sends the text and CRLF, `{tag}` replaced by the last received tag.
        case send(String)
        /// Sends `<last tag> <text>` and CRLF: the tagged completion of the last command.
        case sendTagged(String)
        /// Sends bytes exactly as given (no CRLF added).
        case sendRaw([UInt8])
        /// Sends `count` copies of `byte`, streamed in 64 KiB chunks (huge literals).
        case sendRepeated(byte: UInt8, count: Int)
        /// Streams a file's bytes.
        case sendFile(path: String)
        /// Sends `bytes` in pieces of `chunkSize` with `interval` between them (a slow server).
        case sendThrottled([UInt8], chunkSize: Int, interval: Duration)
        /// Reads the next client line and checks it; a mismatch is recorded in `failures`,
        /// answered `<tag> BAD` and ends the connection.
        case expect(LineMatch)
        /// Reads `count` bytes of the literal the client is sending (fewer than the announced
        /// size reads a prefix: a following `.close` drops the connection mid-literal).
        case expectLiteral(Int)
        /// Reads the next line and plays the steps the closure returns for it.
        case onLine(@Sendable (ClientLine) -> [Step])
        /// Plays the closure's steps for every line until the client closes the connection.
        case onEveryLine(@Sendable (ClientLine) -> [Step])
        /// Waits.
        case delay(Duration)
        /// Closes the connection at once, whatever the client is in the middle of.
        case close

        /// Expects the next command to be `command` (case-insensitive prefix of the text after
        /// the tag, e.g. "LOGIN" or "UID FETCH"); skips leftover literal data and continuation
        /// lines of the previous command.
        public static func expect(command: String) -> Step { .expect(.command(command)) }
        /// Expects the next line to be exactly `line` (e.g. `DONE` after IDLE, `""` after a literal).
        public static func expect(line: String) -> Step { .expect(.exact(line)) }
        /// Expects the next line to start with `prefix` (tag included).
        public static func expect(prefix: String) -> Step { .expect(.prefix(prefix)) }
        /// Expects the next line to satisfy `predicate`.
        public static func expect(where predicate: @escaping @Sendable (ClientLine) -> Bool) -> Step {
            .expect(.predicate(predicate))
        }
        /// Accepts any next line.
        public static var expectAnyLine: Step { .expect(.any) }
    }

    /// What an `expect` step accepts.
    public enum LineMatch: Sendable, CustomStringConvertible {
        case command(String)
        case exact(String)
        case prefix(String)
        case predicate(@Sendable (ClientLine) -> Bool)
        case any

        /// Command matches skip continuation lines; the others take the very next line.
        var wantsCommandStart: Bool {
            if case .command = self { return true }
            return false
        }

        func matches(_ line: ClientLine) -> Bool {
            switch self {
            case .command(let command):
                guard line.startsCommand else { return false }
                return line.afterTag.uppercased().hasPrefix(command.uppercased())
            case .exact(let text): return line.text == text
            case .prefix(let prefix): return line.text.hasPrefix(prefix)
            case .predicate(let predicate): return predicate(line)
            case .any: return true
            }
        }

        public var description: String {
            switch self {
            case .command(let command): return "command \(command)"
            case .exact(let text): return "line \"\(text)\""
            case .prefix(let prefix): return "a line starting with \"\(prefix)\""
            case .predicate: return "a line matching a predicate"
            case .any: return "any line"
            }
        }
    }

    /// A line the client sent.
    public struct ClientLine: Sendable, Hashable {
        /// The line without CRLF.
        public var text: String
        /// False for the rest of a command after a literal (e.g. `)` or the empty line).
        public var startsCommand: Bool

        /// The first word when the line starts a command: `A1` of `A1 LOGIN …`.
        public var tag: String? {
            guard startsCommand, let word = text.split(separator: " ", maxSplits: 1).first else { return nil }
            return String(word)
        }

        /// The text after the tag and its space (`LOGIN alice secret`), or the whole line.
        public var afterTag: String {
            guard startsCommand, let space = text.firstIndex(of: " ") else { return startsCommand ? "" : text }
            return String(text[text.index(after: space)...])
        }
    }

    /// What the client sent, in order: lines and literal data.
    public enum ClientInput: Sendable, Hashable {
        case line(String)
        case literal([UInt8])
    }

    /// How every connection behaves around its script.
    public struct Options: Sendable {
        /// Answer a synchronizing literal `{n}` with `continuationText` as soon as it is read
        /// (script no `+` line then). Off: the script sends its own `+ …` (or refuses).
        public var autoContinuation: Bool
        /// The continuation request sent for synchronizing literals.
        public var continuationText: String
        /// After the last step: close (default), or keep reading and recording until the client
        /// closes.
        public var closeAfterScript: Bool
        /// The longest client line accepted.
        public var maximumLineLength: Int

        public init(autoContinuation: Bool = true, continuationText: String = "+ Ready for literal data",
                    closeAfterScript: Bool = true, maximumLineLength: Int = 1 << 20) {
            self.autoContinuation = autoContinuation
            self.continuationText = continuationText
            self.closeAfterScript = closeAfterScript
            self.maximumLineLength = maximumLineLength
        }
    }
}
