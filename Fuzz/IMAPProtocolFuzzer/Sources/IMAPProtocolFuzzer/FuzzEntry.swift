/// libFuzzer's entry point (`-sanitize=fuzzer` links libFuzzer's `main`): every input goes
/// through the response parser in several chunkings and through the crate index reader.
/// A crash, a failed invariant (`fatalError`) or a sanitizer report is a finding; anything the
/// code under test throws is an expected refusal.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    ResponseParserFuzzing.check(input)
    IndexFuzzing.check(input)
    return 0
}
