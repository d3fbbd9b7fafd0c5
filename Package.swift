// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "MotCua",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "MotCuaCore", targets: ["MotCuaCore"]),
        .executable(name: "motcua", targets: ["motcua"]),
        .executable(name: "motcua-bench", targets: ["motcua-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // Already in the graph through Vapor; named for the signing target.
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        // Already in the graph through Vapor; named for the SMTP client (no SMTP package is available).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Prometheus's text format for /metrics (requests, actions, outbox), as issue 23 asks.
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Verifies the staff's OpenID Connect ID tokens against the provider's JWKS (issue 25).
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
    ],
    targets: [
        // Pure domain: no I/O, no Vapor, no database.
        .target(name: "MotCuaCore"),
        // libqrencode (Debian's libqrencode-dev) and a small Swift wrapper: the forms' QR codes.
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .target(name: "QRCode", dependencies: ["CQRencode", "MotCuaCore"]),
        // The provincial CA and detached CMS signatures (swift-certificates, swift-crypto).
        .target(name: "MotCuaSigning", dependencies: [
            "MotCuaCore",
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        .target(
            name: "MotCuaServer",
            dependencies: [
                "MotCuaCore",
                "QRCode",
                "MotCuaSigning",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
        .executableTarget(
            name: "motcua",
            dependencies: [
                "MotCuaCore",
                "MotCuaServer",
                "MotCuaSigning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "motcua-bench",
            dependencies: [
                "MotCuaCore",
                "MotCuaServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "MotCuaCoreTests",
            dependencies: [
                "MotCuaCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Resources")]
        ),
        // Shared by the test targets that run the built binary.
        .target(name: "MotCuaTestSupport", path: "Tests/MotCuaTestSupport"),
        .testTarget(
            name: "MotCuaServerTests",
            dependencies: [
                "MotCuaServer",
                "MotCuaTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode", "MotCuaTestSupport"]),
        .testTarget(name: "MotCuaSigningTests", dependencies: ["MotCuaSigning", "MotCuaTestSupport"]),
        // Runs the built `motcua` binary as a process.
        .testTarget(name: "motcuaTests", dependencies: ["motcua", "MotCuaTestSupport", "MotCuaSigning"]),
    ]
)
