/// A message flag: a system flag such as `\Seen` or a keyword such as `$Forwarded`.
///
/// Kept as the exact text the server sent, compared case-insensitively as RFC 3501 §2.3.2
/// requires. `S: * 1 FETCH (FLAGS (\Seen $Label1))`
public struct Flag: Hashable, Sendable, CustomStringConvertible {
    /// The flag exactly as on the wire, including the leading backslash of system flags.
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let seen = Flag("\\Seen")
    public static let answered = Flag("\\Answered")
    public static let flagged = Flag("\\Flagged")
    public static let deleted = Flag("\\Deleted")
    public static let draft = Flag("\\Draft")
    public static let recent = Flag("\\Recent")
    /// `\*` in PERMANENTFLAGS: new keywords may be created.
    public static let wildcard = Flag("\\*")

    /// True for `\Seen`, `\Answered`, … (anything starting with a backslash).
    public var isSystemFlag: Bool { rawValue.hasPrefix("\\") }

    public var description: String { rawValue }

    public static func == (lhs: Flag, rhs: Flag) -> Bool {
        lhs.rawValue.lowercased() == rhs.rawValue.lowercased()
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue.lowercased()) }
}
