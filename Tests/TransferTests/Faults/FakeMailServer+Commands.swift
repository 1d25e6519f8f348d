import Foundation
import TestSupport

/// How the fake server answers each command, and where the faults cut in.
extension FakeMailServer {
    /// The steps that answer one client line on connection `index`: nothing while a command
    /// is still arriving (a literal follows), the answer once it is complete.
    func handle(_ line: ScriptedIMAPServer.ClientLine, connection index: Int) -> [Step] {
        let literal = line.startsCommand ? [] : lastLiteral(connection: index)
        return lock.withLock { () -> [Step] in
            var connection = connections[index] ?? Connection()
            defer { connections[index] = connection }
            if line.startsCommand {
                begin(line.text, connection: &connection)
            } else {
                guard !connection.parts.isEmpty else { return [] }
                connection.parts += [.literal(literal), .line(line.text)]
            }
            if let size = Self.literalAnnouncement(line.text) {
                if connection.verb == "APPEND", case .dropMidLiteral? = connection.fault {
                    connection.parts = []
                    return [.expectLiteral(size / 2), .close]
                }
                return []
            }
            let tokens = Self.tokens(connection.parts)
            connection.parts = []
            return answer(tokens, connection: &connection)
        }
    }

    /// A new command: its tag, its verb (`UID FETCH` counts as one), its count, its fault.
    private func begin(_ text: String, connection: inout Connection) {
        connection.parts = [.line(text)]
        let words = text.split(separator: " ", maxSplits: 3)
        connection.tag = words.first.map(String.init) ?? "*"
        var verb = words.count > 1 ? words[1].uppercased() : ""
        if verb == "UID", words.count > 2 { verb += " " + words[2].uppercased() }
        connection.verb = verb
        commandCounts[verb, default: 0] += 1
        let occurrence = commandCounts[verb] ?? 0
        connection.fault = faults.first { $0.command == verb && $0.occurrences.contains(occurrence) }?.action
    }

    private func answer(_ tokens: [Token], connection: inout Connection) -> [Step] {
        let tag = connection.tag
        switch connection.fault {
        case .drop?: return [.close]
        case .bye(let text)?: return [.send("* BYE \(text)"), .close]
        case .answer(let text)?: return [.send("\(tag) \(text)")]
        case .stall?: return [.delay(.seconds(3600))]
        case .steps(let steps)?: return Self.substitute(steps, tag: tag)
        case .before(let steps)?: return Self.substitute(steps, tag: tag) + normalAnswer(tokens, connection: &connection)
        default: return normalAnswer(tokens, connection: &connection)
        }
    }

    /// `{tag}` and `{nexttag}` (the client's tags are `C1`, `C2`, …) in `.send` steps.
    private static func substitute(_ steps: [Step], tag: String) -> [Step] {
        let next = Int(tag.dropFirst()).map { "C\($0 + 1)" } ?? "C0"
        return steps.map { step in
            guard case .send(let text) = step else { return step }
            return .send(text.replacingOccurrences(of: "{nexttag}", with: next).replacingOccurrences(of: "{tag}", with: tag))
        }
    }

    private func normalAnswer(_ tokens: [Token], connection: inout Connection) -> [Step] {
        let tag = connection.tag
        let arguments = Array(tokens.dropFirst(connection.verb.hasPrefix("UID ") ? 3 : 2))
        switch connection.verb {
        case "CAPABILITY": return [.send("* CAPABILITY \(capabilityText)"), .send("\(tag) OK CAPABILITY completed")]
        case "LOGIN": return [.send("\(tag) OK [CAPABILITY \(capabilityText)] Logged in")]
        case "NOOP": return [.send("\(tag) OK NOOP completed")]
        case "LOGOUT": return [.send("* BYE Logging out"), .send("\(tag) OK LOGOUT completed"), .close]
        case "LIST", "LSUB": return list(subscribedOnly: connection.verb == "LSUB", tag: tag)
        case "STATUS": return status(arguments, tag: tag)
        case "SELECT", "EXAMINE": return select(arguments, readOnly: connection.verb == "EXAMINE", tag: tag, connection: &connection)
        case "CREATE": return create(arguments, tag: tag)
        case "SUBSCRIBE":
            if let name = arguments.first?.bytes, let index = mailboxIndex(name) { mailboxes[index].subscribed = true }
            return [.send("\(tag) OK SUBSCRIBE completed")]
        case "UID SEARCH": return search(arguments, tag: tag, connection: connection)
        case "UID FETCH": return fetch(arguments, tag: tag, connection: connection)
        case "APPEND": return append(arguments, tag: tag, connection: connection)
        default: return [.send("\(tag) BAD unknown command")]
        }
    }

    private func list(subscribedOnly: Bool, tag: String) -> [Step] {
        var bytes: [UInt8] = []
        for mailbox in mailboxes where !subscribedOnly || mailbox.subscribed {
            bytes += Array("* \(subscribedOnly ? "LSUB" : "LIST") (\\HasNoChildren) \"/\" ".utf8) + Self.astring(mailbox.wireName) + [13, 10]
        }
        return [.sendRaw(bytes), .send("\(tag) OK LIST completed")]
    }

    private func status(_ arguments: [Token], tag: String) -> [Step] {
        guard let name = arguments.first?.bytes, let index = mailboxIndex(name) else {
            return [.send("\(tag) NO [NONEXISTENT] No such mailbox")]
        }
        let mailbox = mailboxes[index]
        let size = mailbox.messages.reduce(0) { $0 + $1.bytes.count }
        let line = "(MESSAGES \(mailbox.messages.count) UIDNEXT \(mailbox.uidNext) UIDVALIDITY \(mailbox.uidValidity) SIZE \(size))"
        return [.sendRaw(Array("* STATUS ".utf8) + Self.astring(mailbox.wireName) + Array(" \(line)\r\n".utf8)),
                .send("\(tag) OK STATUS completed")]
    }

    private func select(_ arguments: [Token], readOnly: Bool, tag: String, connection: inout Connection) -> [Step] {
        guard let name = arguments.first?.bytes, let index = mailboxIndex(name) else {
            connection.selected = nil
            return [.send("\(tag) NO [NONEXISTENT] No such mailbox")]
        }
        let mailbox = mailboxes[index]
        connection.selected = mailbox.wireName
        return [
            .send("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)"),
            .send("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted"),
            .send("* \(mailbox.messages.count) EXISTS"),
            .send("* 0 RECENT"),
            .send("* OK [UIDVALIDITY \(mailbox.uidValidity)] UIDs valid"),
            .send("* OK [UIDNEXT \(mailbox.uidNext)] Predicted next UID"),
            .send("\(tag) OK [\(readOnly ? "READ-ONLY" : "READ-WRITE")] Selected"),
        ]
    }

    private func create(_ arguments: [Token], tag: String) -> [Step] {
        guard let name = arguments.first?.bytes else { return [.send("\(tag) BAD no name")] }
        guard mailboxIndex(name) == nil else { return [.send("\(tag) NO [ALREADYEXISTS] Mailbox exists")] }
        mailboxes.append(Mailbox(wireName: name, uidValidity: nextUIDValidity))
        nextUIDValidity += 1
        return [.send("\(tag) OK CREATE completed")]
    }

    private func selectedMailbox(_ connection: Connection) -> Mailbox? {
        connection.selected.flatMap(mailboxIndex).map { mailboxes[$0] }
    }

    private func search(_ arguments: [Token], tag: String, connection: Connection) -> [Step] {
        guard let mailbox = selectedMailbox(connection) else { return [.send("\(tag) BAD No mailbox selected")] }
        var messages = mailbox.messages
        if arguments.first?.text?.uppercased() == "UID", let set = arguments.dropFirst().first?.text {
            messages = Self.select(set, from: messages)
        }
        let uids = messages.map { " \($0.uid)" }.joined()
        return [.send("* SEARCH\(uids)"), .send("\(tag) OK SEARCH completed")]
    }

    private func fetch(_ arguments: [Token], tag: String, connection: Connection) -> [Step] {
        guard let mailbox = selectedMailbox(connection), let set = arguments.first?.text else {
            return [.send("\(tag) BAD No mailbox selected")]
        }
        let messages = Self.select(set, from: mailbox.messages)
        var bytes: [UInt8] = []
        for message in messages {
            let number = (mailbox.messages.firstIndex(of: message) ?? 0) + 1
            let header = Self.fetchHeader(message, number: number)
            switch connection.fault {
            case .dropMidLiteral?:
                return [.sendRaw(Array(header.utf8) + message.bytes.prefix(message.bytes.count / 2)), .close]
            case .stallMidLiteral?:
                return [.sendRaw(Array(header.utf8) + message.bytes.prefix(message.bytes.count / 2)), .delay(.seconds(3600))]
            default:
                bytes += Array(header.utf8) + message.bytes + Array(")\r\n".utf8)
            }
        }
        return [.sendRaw(bytes), .send("\(tag) OK FETCH completed")]
    }

    /// `* n FETCH (UID u FLAGS (…) INTERNALDATE "…" RFC822.SIZE s BODY[] {s}` CRLF; the body and
    /// `)` CRLF follow.
    static func fetchHeader(_ message: Message, number: Int) -> String {
        "* \(number) FETCH (UID \(message.uid) FLAGS (\(message.flags.joined(separator: " "))) "
            + "INTERNALDATE \"\(message.internalDate)\" RFC822.SIZE \(message.bytes.count) BODY[] {\(message.bytes.count)}\r\n"
    }

    /// The whole FETCH response for `message`, body included.
    static func fetchResponse(_ message: Message, number: Int) -> [UInt8] {
        Array(fetchHeader(message, number: number).utf8) + message.bytes + Array(")\r\n".utf8)
    }

    /// `APPEND mailbox [(flags)] ["date"] literal`, repeated for MULTIAPPEND (RFC 3502): all
    /// messages are stored or none (a refused one refuses the command).
    private func append(_ arguments: [Token], tag: String, connection: Connection) -> [Step] {
        guard let name = arguments.first?.bytes, arguments.count >= 2 else {
            return [.send("\(tag) BAD Invalid APPEND")]
        }
        guard let index = mailboxIndex(name) else { return [.send("\(tag) NO [TRYCREATE] No such mailbox")] }
        var parsed: [(message: [UInt8], flags: [String], date: String)] = []
        var position = 1
        while position < arguments.count {
            var flags: [String] = []
            var date = "01-Jan-2000 00:00:00 +0000"
            if arguments[position] == .open {
                position += 1
                while position < arguments.count, arguments[position] != .close {
                    flags += arguments[position].text.map { [$0] } ?? []
                    position += 1
                }
                position += 1
            }
            if position + 1 < arguments.count, case .string = arguments[position + 1], let text = arguments[position].text,
               text.contains("-"), text.count <= 26 {
                date = text
                position += 1
            }
            guard position < arguments.count, case .string(let message) = arguments[position] else {
                return [.send("\(tag) BAD Invalid APPEND")]
            }
            parsed.append((message, flags, date))
            position += 1
        }
        if parsed.count > 1 && !capabilityText.contains("MULTIAPPEND") { return [.send("\(tag) BAD Invalid APPEND")] }
        if let refused = refusedContent, parsed.contains(where: { $0.message.firstRange(of: refused) != nil }) {
            return [.send("\(tag) NO Message refused: content not accepted")]
        }
        let uids = parsed.map { mailboxes[index].add($0.message, flags: $0.flags, internalDate: $0.date) }
        if case .storeThenDrop? = connection.fault { return [.close] }
        let set = uids.count == 1 ? "\(uids[0])" : "\(uids[0]):\(uids[uids.count - 1])"
        return [.send("\(tag) OK [APPENDUID \(mailboxes[index].uidValidity) \(set)] APPEND completed")]
    }
}
