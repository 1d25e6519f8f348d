/// The `From ` separator line that starts each message in an mbox file (RFC 4155):
/// `From MAILER-DAEMON Thu Jul 17 09:44:25 1996` + LF, the date being INTERNALDATE in UTC
/// written like C's `asctime`.
enum MboxFromLine {
    static let sender = "MAILER-DAEMON"

    static func line(unixSeconds: Int64) -> [UInt8] {
        Array("From \(sender) \(asctime(unixSeconds: unixSeconds))\n".utf8)
    }

    /// `asctime` form in UTC: `Www Mmm dd hh:mm:ss yyyy`, day padded with a space.
    static func asctime(unixSeconds: Int64) -> String {
        let days = unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400
        let secondsOfDay = unixSeconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let dayText = day < 10 ? " \(day)" : "\(day)"
        return "\(weekday) \(months[Int(month) - 1]) \(dayText) \(two(secondsOfDay / 3600)):"
            + "\(two(secondsOfDay / 60 % 60)):\(two(secondsOfDay % 60)) \(year)"
    }

    /// Proleptic Gregorian date from days since 1970-01-01 (Howard Hinnant's algorithm).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
