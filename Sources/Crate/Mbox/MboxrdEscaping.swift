#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// mboxrd `From ` quoting as a streaming transform: escaping adds one `>` to every line that
/// matches `>*From `; unescaping removes one `>` from every line that matches `>+From `.
///
/// Input may be cut anywhere; output goes to `emit` as large verbatim slices of the input, with
/// the few changed line prefixes rebuilt from constants. Lines are found with `memchr`; only the
/// first bytes of each line are examined one by one. Held state is two counters, never a copy.
struct MboxrdEscaping {
    enum Direction: Sendable {
        case escape
        case unescape
    }

    let direction: Direction
    private var atLineStart = true
    private var inPrefix = false
    private var greaterCount = 0
    private var fromMatched = 0

    private static let from: [UInt8] = Array("From ".utf8)

    init(_ direction: Direction) {
        self.direction = direction
    }

    /// Transforms the next chunk.
    mutating func process(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard let base = input.baseAddress, input.count > 0 else { return }
        let count = input.count
        var index = 0
        var runStart = 0
        var heldFromEarlier = inPrefix
        var prefixStart = 0

        while index < count {
            if !inPrefix {
                if !atLineStart {
                    guard let hit = memchr(base + index, 0x0A, count - index) else {
                        index = count
                        break
                    }
                    index = UnsafeRawPointer(hit) - base + 1
                    atLineStart = true
                    continue
                }
                atLineStart = false
                let byte = input[index]
                guard byte == 0x3E || byte == 0x46 else {  // '>' or 'F'
                    if byte == 0x0A { atLineStart = true }
                    index += 1
                    continue
                }
                inPrefix = true
                greaterCount = 0
                fromMatched = 0
                prefixStart = index
                heldFromEarlier = false
            }
            let byte = input[index]
            if fromMatched == 0 && byte == 0x3E {
                greaterCount += 1
                index += 1
                continue
            }
            if byte == Self.from[fromMatched] {
                fromMatched += 1
                index += 1
                if fromMatched == Self.from.count {
                    let rewrite = direction == .escape || greaterCount > 0
                    if rewrite || heldFromEarlier {
                        if !heldFromEarlier {
                            try emit(UnsafeRawBufferPointer(rebasing: input[runStart..<prefixStart]))
                        }
                        let greater = !rewrite ? greaterCount : (direction == .escape ? greaterCount + 1 : greaterCount - 1)
                        try Self.emitPrefix(greater: greater, fromBytes: fromMatched, emit: emit)
                        runStart = index
                    }
                    inPrefix = false
                    heldFromEarlier = false
                }
                continue
            }
            // Not a quoted From line: the prefix is ordinary text and `byte` is read as mid-line.
            if heldFromEarlier {
                try Self.emitPrefix(greater: greaterCount, fromBytes: fromMatched, emit: emit)
                runStart = index
            }
            inPrefix = false
            heldFromEarlier = false
        }

        if inPrefix {
            // Hold the unfinished prefix (it is fully described by the counters).
            if !heldFromEarlier {
                try emit(UnsafeRawBufferPointer(rebasing: input[runStart..<prefixStart]))
            }
        } else if runStart < count {
            try emit(UnsafeRawBufferPointer(rebasing: input[runStart..<count]))
        }
    }

    /// Transforms a byte array chunk.
    mutating func process(_ input: [UInt8], emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try input.withUnsafeBytes { try process($0, emit: emit) }
    }

    /// Ends the message: a held prefix (the input ended inside it) is emitted unchanged.
    mutating func finish(emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if inPrefix {
            try Self.emitPrefix(greater: greaterCount, fromBytes: fromMatched, emit: emit)
        }
        atLineStart = true
        inPrefix = false
        greaterCount = 0
        fromMatched = 0
    }

    private static let greaterSigns = [UInt8](repeating: 0x3E, count: 256)

    private static func emitPrefix(
        greater: Int, fromBytes: Int, emit: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        var remaining = greater
        while remaining > 0 {
            let step = min(remaining, greaterSigns.count)
            try greaterSigns.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<step])) }
            remaining -= step
        }
        if fromBytes > 0 {
            try from.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<fromBytes])) }
        }
    }
}
