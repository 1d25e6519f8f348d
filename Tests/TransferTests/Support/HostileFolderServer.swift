import Foundation
import TestSupport

/// A scripted IMAP server that lists the folder names a real server would refuse to create
/// (`../../x`, `a/../../b`, `..`, absolute paths, control characters, case twins) and serves
/// one message in each, whose body names its folder. Enough of IMAP for `export`: LOGIN,
/// LIST/LSUB, STATUS, EXAMINE, UID SEARCH, UID FETCH, LOGOUT; anything else is answered OK.
///
/// The selected folder is remembered across connections, so exports must use one connection.
enum HostileFolderServer {
    /// Names with `/` as the separator, as LIST sends them (quoted-string content, unescaped).
    static let names = [
        "INBOX", "../../x", "a/../../b", "..", ".", "/tmp/imapcrate-escape", "x/..", "a//b", "ctl\u{1}name",
        "back\\slash", "Foo", "foo", String(repeating: "n", count: 300), deepLong,
    ]

    /// Three levels of 100 characters: too long for Dovecot even once each level is repaired.
    static let deepLong = Array(repeating: String(repeating: "d", count: 100), count: 3).joined(separator: "/")

    /// The message served in `folder`.
    static func message(in folder: String) -> [UInt8] {
        Array("From: hostile@example.com\r\nSubject: hostile names\r\nMessage-ID: <\(folder.utf8.count)@hostile>\r\n\r\nfolder: \(folder)\r\n".utf8)
    }

    static func script() -> [ScriptedIMAPServer.Step] {
        let selected = SelectedFolder()
        return [
            .send("* OK [CAPABILITY IMAP4rev1 LITERAL+] hostile server ready"),
            .onEveryLine { line in respond(to: line, selected: selected) },
        ]
    }

    private static func respond(to line: ScriptedIMAPServer.ClientLine, selected: SelectedFolder) -> [ScriptedIMAPServer.Step] {
        guard line.startsCommand else { return [] }
        let command = line.afterTag
        let verb = command.split(separator: " ").prefix(2).joined(separator: " ").uppercased()
        switch true {
        case verb.hasPrefix("LIST"):
            return names.map { .send("* LIST (\\HasNoChildren) \"/\" \(quoted($0))") } + [.sendTagged("OK LIST done")]
        case verb.hasPrefix("STATUS"):
            let name = argument(of: command)
            return [.send("* STATUS \(quoted(name)) (MESSAGES 1)"), .sendTagged("OK STATUS done")]
        case verb.hasPrefix("EXAMINE"), verb.hasPrefix("SELECT"):
            selected.name = argument(of: command)
            return [.send("* 1 EXISTS"), .send("* OK [UIDVALIDITY 7] ok"), .send("* OK [UIDNEXT 2] ok"),
                    .sendTagged("OK [READ-ONLY] EXAMINE done")]
        case verb == "UID SEARCH":
            return [.send("* SEARCH 1"), .sendTagged("OK SEARCH done")]
        case verb == "UID FETCH":
            let bytes = message(in: selected.name)
            return [.send("* 1 FETCH (UID 1 FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" BODY[] {\(bytes.count)}"),
                    .sendRaw(bytes + Array(")\r\n".utf8)), .sendTagged("OK FETCH done")]
        case verb.hasPrefix("LOGOUT"):
            return [.send("* BYE bye"), .sendTagged("OK LOGOUT done"), .close]
        default:
            return [.sendTagged("OK done")]
        }
    }

    /// The first argument, a quoted string or an atom, unquoted.
    private static func argument(of command: String) -> String {
        guard let space = command.firstIndex(of: " ") else { return "" }
        let rest = command[command.index(after: space)...]
        guard rest.first == "\"" else { return String(rest.prefix { $0 != " " }) }
        var result = ""
        var escaped = false
        for character in rest.dropFirst() {
            if escaped { result.append(character); escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == "\"" { break }
            result.append(character)
        }
        return result
    }

    private static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// The folder the last EXAMINE chose.
private final class SelectedFolder: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""

    var name: String {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
