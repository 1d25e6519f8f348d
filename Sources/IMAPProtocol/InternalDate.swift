import struct Foundation.Date

/// An IMAP `date-time` with its zone kept, e.g. `"17-Jul-1996 02:44:25 -0700"` (RFC 3501 §9).
///
/// Stored as the wall-clock components and the zone offset exactly as the server sent them,
/// so writing it back (APPEND) reproduces the same text.
public struct InternalDate: Hashable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// Offset from UTC in minutes, e.g. -420 for `-0700`.
    public var zoneMinutes: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, zoneMinutes: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.zoneMinutes = zoneMinutes
    }

    public var description: String { imapString }
}
