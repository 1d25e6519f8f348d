// swift-tools-version:6.1
import PackageDescription

// A libFuzzer target over the IMAP response parser and the crate index reader, kept out of
// the root package so that normal builds never see `-sanitize=fuzzer`. Its module sources
// are symlinks to the root package's. Built and run by `scripts/fuzz`.
let package = Package(
    name: "IMAPProtocolFuzzer",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "IMAPProtocol", dependencies: [.product(name: "NIOCore", package: "swift-nio")]),
        .target(name: "Crate", dependencies: ["CZlib", .product(name: "Crypto", package: "swift-crypto")]),
        .executableTarget(
            name: "IMAPProtocolFuzzer",
            dependencies: ["IMAPProtocol", "Crate", .product(name: "NIOCore", package: "swift-nio")]
        ),
    ]
)
