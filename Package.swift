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
    ],
    targets: [
        // Pure domain: no I/O, no Vapor, no database.
        .target(name: "MotCuaCore"),
        .executableTarget(
            name: "motcua",
            dependencies: [
                "MotCuaCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "motcua-bench",
            dependencies: [
                "MotCuaCore",
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
        // Runs the built `motcua` binary as a process.
        .testTarget(name: "motcuaTests", dependencies: ["motcua"]),
    ]
)
