import struct Foundation.Date

/// Reading and writing the RFC 3501 §9 `date-time` text, and conversion to an instant.
///
/// ```
/// date-time  = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
/// date-day-fixed = (SP DIGIT) / 2DIGIT
/// time       = 2DIGIT ":" 2DIGIT ":" 2DIGIT
/// zone       = ("+" / "-") 4DIGIT
/// ```
extension InternalDate {
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parses `"17-Jul-1996 02:44:25 -0700"` (without the quotes). The day may be written
    /// `" 7"`, `"07"` or `"7"`; the month name is case-insensitive. Throws `invalidDate`.
    public init(parsing text: String) throws {
        let bytes = Array(text.utf8)
        var reader = DateReader(bytes: bytes, text: text)
        while reader.peek() == UInt8(ascii: " ") { reader.index += 1 }
        let day = try reader.number(minDigits: 1, maxDigits: 2)
        try reader.expect("-")
        let monthText = try reader.letters(3)
        guard let monthIndex = Self.monthNames.firstIndex(where: { $0.lowercased() == monthText.lowercased() }) else {
            throw reader.failure("has an unknown month name")
        }
        try reader.expect("-")
        let year = try reader.number(minDigits: 4, maxDigits: 4)
        try reader.expect(" ")
        let hour = try reader.number(minDigits: 2, maxDigits: 2)
        try reader.expect(":")
        let minute = try reader.number(minDigits: 2, maxDigits: 2)
        try reader.expect(":")
        let second = try reader.number(minDigits: 2, maxDigits: 2)
        try reader.expect(" ")
        let sign: Int
        switch reader.peek() {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: throw reader.failure("has no zone sign")
        }
        reader.index += 1
        let zoneHours = try reader.number(minDigits: 2, maxDigits: 2)
        let zoneMins = try reader.number(minDigits: 2, maxDigits: 2)
        guard reader.index == bytes.count else { throw reader.failure("has trailing characters") }
        let month = monthIndex + 1
        guard day >= 1, day <= Self.daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 60, zoneHours <= 23, zoneMins <= 59 else {
            throw reader.failure("has a field out of range")
        }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                  zoneMinutes: sign * (zoneHours * 60 + zoneMins))
    }

    /// The wire text without quotes, day zero-padded: `07-Jul-1996 02:44:25 -0700`.
    public var imapString: String {
        let sign = zoneMinutes < 0 ? "-" : "+"
        let zone = abs(zoneMinutes)
        let monthName = (1...12).contains(month) ? Self.monthNames[month - 1] : "???"
        return "\(pad(day, 2))-\(monthName)-\(pad(year, 4)) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)) "
            + "\(sign)\(pad(zone / 60, 2))\(pad(zone % 60, 2))"
    }

    /// The absolute instant this date-time names.
    public var date: Date {
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let local = days * 86_400 + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(local - zoneMinutes * 60))
    }

    /// The wall-clock reading of `date` in the zone `zoneMinutes` east of UTC; fractions of a
    /// second are dropped (rounded down).
    public init(date: Date, zoneMinutes: Int) {
        let local = Int((date.timeIntervalSince1970 + Double(zoneMinutes * 60)).rounded(.down))
        let days = local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = Self.civilFromDays(days)
        self.init(year: year, month: month, day: day, hour: secondOfDay / 3_600,
                  minute: secondOfDay % 3_600 / 60, second: secondOfDay % 60, zoneMinutes: zoneMinutes)
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A tiny reader over the bytes of a date-time text.
private struct DateReader {
    let bytes: [UInt8]
    let text: String
    var index = 0

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func expect(_ char: Character) throws {
        guard peek() == char.asciiValue else { throw failure("lacks '\(char)'") }
        index += 1
    }

    mutating func number(minDigits: Int, maxDigits: Int) throws -> Int {
        var value = 0
        var count = 0
        while count < maxDigits, let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            count += 1
            index += 1
        }
        guard count >= minDigits else { throw failure("lacks a \(minDigits)-digit number") }
        return value
    }

    mutating func letters(_ count: Int) throws -> String {
        guard index + count <= bytes.count else { throw failure("is too short") }
        let slice = bytes[index..<index + count]
        guard slice.allSatisfy({ ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }) else {
            throw failure("has no month name")
        }
        index += count
        return String(decoding: slice, as: UTF8.self)
    }

    func failure(_ reason: String) -> IMAPProtocolError {
        IMAPProtocolError(.invalidDate, "The date-time \"\(text.prefix(64))\" \(reason); expected e.g. \"17-Jul-1996 02:44:25 -0700\".")
    }
}
