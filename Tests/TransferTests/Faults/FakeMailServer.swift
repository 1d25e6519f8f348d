import Foundation
import TestSupport

/// An IMAP server whose mailboxes live in memory, for the fault tests: it answers what export
/// and import send (LOGIN, CAPABILITY, LIST, LSUB, STATUS, SELECT, EXAMINE, CREATE, SUBSCRIBE,
/// UID SEARCH, UID FETCH, APPEND, NOOP, LOGOUT) on top of `ScriptedIMAPServer`, and answers
/// chosen commands with a fault instead: a drop, BYE, a NO, silence, a literal cut in half.
///
/// ```
/// let server = try await FakeMailServer.start(mailboxes: [.init("INBOX", messages: 5)])
/// server.inject(.init(command: "UID FETCH", on: 1, .dropMidLiteral))
/// // export from server.account() ...
/// await server.stop()
/// ```
/// Commands are counted over the server's life, all connections together: `on: 1` is the
/// first UID FETCH any client sends.
final class FakeMailServer: @unchecked Sendable {
    typealias Step = ScriptedIMAPServer.Step

    struct Message: Hashable, Sendable {
        var uid: UInt32
        var bytes: [UInt8]
        var flags: [String]
        var internalDate: String
    }

    struct Mailbox: Sendable {
        /// The name's wire bytes (modified UTF-7, or whatever a broken server sends).
        var wireName: [UInt8]
        var uidValidity: UInt32
        var uidNext: UInt32 = 1
        var messages: [Message] = []
        var subscribed = false

        /// A mailbox holding `count` sample messages (`FakeMailServer.sample(number:)`).
        init(_ name: String, uidValidity: UInt32 = 1000, messages count: Int = 0, firstNumber: Int = 1) {
            self.init(wireName: Array(name.utf8), uidValidity: uidValidity)
            for number in firstNumber..<(firstNumber + count) { add(FakeMailServer.sample(number: number)) }
        }

        init(wireName: [UInt8], uidValidity: UInt32) {
            self.wireName = wireName
            self.uidValidity = uidValidity
        }

        /// Stores `bytes` under the next UID; returns the UID.
        @discardableResult
        mutating func add(_ bytes: [UInt8], flags: [String] = [], internalDate: String = "17-Jul-2024 02:44:25 +0200") -> UInt32 {
            let uid = uidNext
            messages.append(Message(uid: uid, bytes: bytes, flags: flags, internalDate: internalDate))
            uidNext += 1
            return uid
        }

        var isInbox: Bool { String(decoding: wireName, as: UTF8.self).uppercased() == "INBOX" }
    }

    /// What a faulty command gets instead of its answer.
    enum FaultAction: Sendable {
        /// The connection closes before any answer.
        case drop
        /// `* BYE text`, then the connection closes.
        case bye(String)
        /// This tagged answer instead of the real one, e.g. `NO [UNAVAILABLE] try later`.
        case answer(String)
        /// Nothing at all; the connection stays open.
        case stall
        /// UID FETCH: the first message's body stops halfway, then the connection closes.
        /// APPEND: half the literal is read, then the connection closes (nothing stored).
        case dropMidLiteral
        /// UID FETCH: the first message's body stops halfway; then silence.
        case stallMidLiteral
        /// APPEND: the message is stored, then the connection closes before the tagged OK.
        case storeThenDrop
        /// These steps instead of the answer (in `.send` text, `{tag}` is the command's tag and
        /// `{nexttag}` the tag the client will use next).
        case steps([Step])
        /// These steps, then the normal answer.
        case before([Step])
    }

    /// A fault: which command, which occurrences of it, and what happens.
    struct Fault: Sendable {
        var command: String
        var occurrences: ClosedRange<Int>
        var action: FaultAction

        init(command: String, on occurrence: Int, _ action: FaultAction) {
            self.init(command: command, occurrences: occurrence...occurrence, action)
        }

        init(command: String, occurrences: ClosedRange<Int>, _ action: FaultAction) {
            self.command = command.uppercased()
            self.occurrences = occurrences
            self.action = action
        }

        /// Every occurrence of `command`.
        static func always(_ command: String, _ action: FaultAction) -> Fault {
            Fault(command: command, occurrences: 1...Int.max, action)
        }
    }

    /// One client connection's state.
    struct Connection {
        var selected: [UInt8]?
        /// The command being received: its lines and literals so far.
        var parts: [CommandPart] = []
        var tag = "*"
        var verb = ""
        var fault: FaultAction?
    }

    static let capabilities = "IMAP4rev1 LITERAL+ UIDPLUS"
    static let maximumConnections = 256

    let lock = NSLock()
    /// What the server announces: `capabilities`, plus what `start` was asked to add.
    let capabilityText: String
    /// APPEND: a message containing these bytes is refused (`NO`), with its whole command.
    var refusedContent: [UInt8]?
    var mailboxes: [Mailbox]
    var faults: [Fault] = []
    var commandCounts: [String: Int] = [:]
    var connections: [Int: Connection] = [:]
    var nextUIDValidity: UInt32 = 5000
    private var scripted: ScriptedIMAPServer?

    private init(mailboxes: [Mailbox], capabilityText: String) {
        self.mailboxes = mailboxes
        self.capabilityText = capabilityText
    }

    /// Starts a server on 127.0.0.1 holding `mailboxes` (INBOX is added when missing).
    static func start(mailboxes: [Mailbox] = [], extraCapabilities: [String] = []) async throws -> FakeMailServer {
        var all = mailboxes
        if !all.contains(where: \.isInbox) { all.insert(Mailbox("INBOX"), at: 0) }
        let fake = FakeMailServer(mailboxes: all, capabilityText: ([capabilities] + extraCapabilities).joined(separator: " "))
        let scripts: [[Step]] = (0..<maximumConnections).map { index in
            [
                .send("* OK [CAPABILITY \(fake.capabilityText)] fake server ready"),
                .onEveryLine { [fake] line in fake.handle(line, connection: index) },
            ]
        }
        let scripted = try await ScriptedIMAPServer.start(scripts: scripts)
        fake.lock.withLock { fake.scripted = scripted }
        return fake
    }

    /// Runs `body` with a fresh server and stops it afterwards, whatever happens.
    static func with<Result>(
        mailboxes: [Mailbox] = [], extraCapabilities: [String] = [], _ body: (FakeMailServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(mailboxes: mailboxes, extraCapabilities: extraCapabilities)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    func stop() async {
        await lock.withLock { scripted }?.stop()
    }

    var port: Int { lock.withLock { scripted?.port ?? 0 } }

    /// Connections accepted so far.
    var connectionCount: Int { lock.withLock { scripted }?.connectionCount ?? 0 }

    /// Script mismatches and framing errors seen by the underlying scripted server.
    var failures: [String] { lock.withLock { scripted }?.failures ?? [] }

    /// Adds faults; each fires on the occurrences it names.
    func inject(_ newFaults: Fault...) {
        lock.withLock { faults += newFaults }
    }

    /// How many times a command (e.g. `"APPEND"`, `"UID FETCH"`) was received.
    func count(of command: String) -> Int {
        lock.withLock { commandCounts[command.uppercased()] ?? 0 }
    }

    /// A copy of the mailbox whose wire name is `name`.
    func mailbox(_ name: String) -> Mailbox? {
        mailbox(wireName: Array(name.utf8))
    }

    func mailbox(wireName: [UInt8]) -> Mailbox? {
        lock.withLock { mailboxIndex(wireName).map { mailboxes[$0] } }
    }

    /// Changes a mailbox under lock (add messages, renumber after a UIDVALIDITY change).
    func update(_ name: String, _ change: (inout Mailbox) -> Void) {
        lock.withLock {
            guard let index = mailboxIndex(Array(name.utf8)) else { return }
            change(&mailboxes[index])
        }
    }

    /// The literal the client sent last on `connection`, from the transcript.
    func lastLiteral(connection index: Int) -> [UInt8] {
        let transcript = lock.withLock { scripted }?.transcript(connection: index) ?? []
        for case .literal(let bytes) in transcript.reversed() { return bytes }
        return []
    }

    /// Index of the mailbox named `wireName` (INBOX in any case); call under `lock`.
    func mailboxIndex(_ wireName: [UInt8]) -> Int? {
        let isInbox = String(decoding: wireName, as: UTF8.self).uppercased() == "INBOX"
        return mailboxes.firstIndex { isInbox ? $0.isInbox : $0.wireName == wireName }
    }

    /// A small RFC 5322 message, CRLF line ends, different for every `number`.
    static func sample(number: Int, bodyLines: Int = 40) -> [UInt8] {
        var text = "From: Sender \(number) <sender\(number)@example.org>\r\n"
            + "To: alice@example.com\r\n"
            + "Subject: Message number \(number)\r\n"
            + "Message-ID: <\(number)@fake.example.org>\r\n"
            + "Date: Wed, 17 Jul 2024 02:44:25 +0200\r\n\r\n"
        for line in 0..<bodyLines { text += "Line \(line) of message \(number): the quick brown fox jumps over the lazy dog.\r\n" }
        return Array(text.utf8)
    }
}
