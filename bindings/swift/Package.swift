// swift-tools-version:5.5
// The Swift binding of libsynap: a thin wrapper (Synap) over the C API
// (CSynap), which it finds installed through pkg-config's synap.pc.
import PackageDescription

let package = Package(
    name: "Synap",
    products: [
        .library(name: "Synap", targets: ["Synap"]),
    ],
    targets: [
        .systemLibrary(name: "CSynap", pkgConfig: "synap"),
        .target(name: "Synap", dependencies: ["CSynap"]),
    ]
)
