import Foundation
import IMAPProtocol
import NIOCore
import Testing

/// What the encoder writes, the parser reads back: mailbox names, flags, dates, ID and
/// ENABLE parameters travel client → server → client unchanged.
@Suite("Encode → parse round trips")
struct RoundTripTests {
    /// The bytes after `A1 VERB ` and before the final CRLF, literals included.
    static func argumentText(_ command: Command, options: CommandEncoder.Options = .init()) throws -> String {
        let text = wire(try CommandEncoder(options: options).encode(command, tag: "A1")).replacingOccurrences(of: "⏸", with: "")
        let afterVerb = text.drop { $0 != " " }.dropFirst().drop { $0 != " " }.dropFirst()
        return String(afterVerb.dropLast())
    }

    static let names = ["INBOX", "Sent Items", "Entwürfe", "Отправленные", "日本語/子", "R&D", "a \"quoted\" name",
                        "back\\slash", "😀 emoji", "[Gmail]/All Mail", "NIL", "", "x]y", "%wild*"]

    @Test("a mailbox name sent in CREATE comes back the same in LIST", arguments: names)
    func mailboxName(_ name: String) throws {
        for options in [CommandEncoder.Options(), CommandEncoder.Options(literalPlus: true), CommandEncoder.Options(utf8Accept: true)] {
            for mailbox in [MailboxName(displayName: name), MailboxName(bytes: Array(name.utf8))] {
                let argument = try Self.argumentText(.create(mailbox), options: options)
                let response = "* LIST (\\HasNoChildren) \"/\" " + argument.replacingOccurrences(of: "+}", with: "}") + "\r\n"
                let events = ParserHarness.events(response)
                guard case .untagged(.list(let list))? = events.first else {
                    Issue.record("\(response.debugDescription) gave \(events)")
                    continue
                }
                #expect(list.mailbox == mailbox || (mailbox.isInbox && list.mailbox.isInbox))
                #expect(list.mailbox.displayName == mailbox.displayName)
            }
        }
    }

    @Test("APPEND flags and date come back the same in FETCH")
    func appendHeader() throws {
        let date = try InternalDate(parsing: " 3-Mar-2024 14:05:06 +0100")
        let flags = [Flag.seen, .answered, .flagged, .draft, Flag("$Forwarded"), Flag("NonJunk")]
        let header = AppendMessageHeader(flags: flags, internalDate: date, byteCount: 3)
        let text = wire(CommandEncoder(options: .init(literalPlus: true)).encodeAppendMessage(header))
        let flagList = try #require(text.split(separator: "\"").first).trimmingCharacters(in: .whitespaces)
        let quotedDate = "\"" + text.split(separator: "\"")[1] + "\""
        let events = ParserHarness.events("* 1 FETCH (FLAGS \(flagList) INTERNALDATE \(quotedDate))\r\n")
        #expect(events == [.start(1), .attribute(.flags(flags)), .attribute(.internalDate(date)), .finish])
    }

    @Test("ID parameters come back the same in the ID response")
    func id() throws {
        let parameters = [("name", "imapcrate"), ("version", "1.0 \"beta\""), ("os", "Linux\\x86")]
        let argument = try Self.argumentText(.id(parameters))
        let events = ParserHarness.events("* ID \(argument)\r\n")
        #expect(events == [.untagged(.id(Dictionary(uniqueKeysWithValues: parameters)))])
    }

    @Test("ENABLE capabilities come back the same in ENABLED")
    func enable() throws {
        let capabilities: [Capability] = [.condStore, .qresync, .utf8Accept]
        let argument = try Self.argumentText(.enable(capabilities))
        let events = ParserHarness.events("* ENABLED \(argument)\r\n")
        #expect(events == [.untagged(.enabled(capabilities))])
    }
}
