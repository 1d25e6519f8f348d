extension MessageRecord {
    /// The record as one compact JSON object with a fixed key order (uid first) and no newline;
    /// `JSONDecoder` reads it back. Hand-written because it runs once per stored message and
    /// `JSONEncoder` neither keeps key order nor runs this fast.
    func jsonLine() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(320 + flags.count * 16)
        func key(_ name: StaticString, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        func number<T: BinaryInteger>(_ value: T) { out.append(contentsOf: String(value).utf8) }
        out.append(UInt8(ascii: "{"))
        key("uid", first: true); number(uid)
        key("uidValidity"); number(uidValidity)
        key("size"); number(size)
        key("sha256"); Self.appendString(sha256, to: &out)
        key("internalDate"); Self.appendString(internalDate, to: &out)
        key("internalDateUnix"); number(internalDateUnix)
        key("flags")
        out.append(UInt8(ascii: "["))
        for (index, flag) in flags.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            Self.appendString(flag, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        if let messageID {
            key("messageID"); Self.appendString(messageID, to: &out)
        }
        switch location {
        case .file(let file):
            key("file"); Self.appendString(file, to: &out)
        case .mbox(let offset, let length):
            key("mbox")
            out.append(contentsOf: Array("{\"offset\":".utf8)); number(offset)
            out.append(contentsOf: Array(",\"length\":".utf8)); number(length)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A JSON string (RFC 8259 §7): quotes, backslash and control characters escaped, the rest
    /// as UTF-8.
    static func appendString(_ string: String, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
