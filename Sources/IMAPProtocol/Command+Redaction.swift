import NIOCore

public extension Command {
    /// The command as it would appear on the wire (without tag and CRLF), with the LOGIN
    /// password and the AUTHENTICATE initial response replaced by `***`, for logs.
    /// Literal boundaries show as `{n}\r\n` escaped on one line.
    var redactedDescription: String {
        var shown = self
        var secretLabel: String?
        switch self {
        case .login(let username, _):
            shown = .login(username: username, password: "")
            secretLabel = "***"
        case .authenticate(let mechanism, let initialResponse) where initialResponse != nil:
            shown = .authenticate(mechanism: mechanism, initialResponse: nil)
            secretLabel = "***"
        default:
            break
        }
        var writer = CommandWriter(options: CommandEncoder.Options())
        do {
            try writer.command(shown)
        } catch {
            return "\(Self.verb(of: self)) (unencodable)"
        }
        var text = ""
        for part in writer.finish().parts {
            if case .bytes(let buffer) = part {
                text += String(decoding: buffer.readableBytesView, as: UTF8.self)
            }
        }
        text = text.replacingCRLF()
        if let secretLabel {
            if case .login = self, text.hasSuffix(" \"\"") { text.removeLast(2) } else { text += " " }
            text += secretLabel
        }
        return text
    }

    private static func verb(of command: Command) -> String {
        let description = "\(command)"
        return String(description.prefix { $0 != "(" }).uppercased()
    }
}

extension String {
    fileprivate func replacingCRLF() -> String {
        var out = ""
        for char in self {
            switch char {
            case "\r\n": out += "\\r\\n"
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            default: out.append(char)
            }
        }
        return out
    }
}
