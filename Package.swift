// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "imapcrate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "imapcrate", targets: ["imapcrate"]),
        .executable(name: "imapcrate-parser-bench", targets: ["imapcrate-parser-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(
            name: "IMAPProtocol",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "IMAPClient",
            dependencies: [
                "IMAPProtocol", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Crate",
            dependencies: [
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Transfer",
            dependencies: [
                "IMAPClient", "IMAPProtocol", "Crate",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "IMAPCrateCLI",
            dependencies: [
                "Transfer", "IMAPClient", "IMAPProtocol", "Crate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "imapcrate", dependencies: ["IMAPCrateCLI"]),
        .executableTarget(
            name: "imapcrate-parser-bench",
            dependencies: ["IMAPProtocol", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "IMAPProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "IMAPProtocolTests", dependencies: ["IMAPProtocol"]),
        .testTarget(
            name: "IMAPClientTests",
            dependencies: ["IMAPClient", "TestSupport", .product(name: "NIOEmbedded", package: "swift-nio")]
        ),
        .testTarget(name: "CrateTests", dependencies: ["Crate"]),
        .testTarget(name: "TransferTests", dependencies: ["Transfer", "TestSupport"]),
        .testTarget(name: "IMAPCrateCLITests", dependencies: ["IMAPCrateCLI", "TestSupport"]),
    ]
)
