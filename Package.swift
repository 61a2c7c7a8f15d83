// swift-tools-version: 6.2
// The landslide-susceptibility reproducibility harness. See README.md and DESIGN.md in ../shared.
import PackageDescription

/// Every target of ours: Swift 6 mode, and a warning is an error. Release builds specialise generics
/// across modules (FORM in Reliability on limit states from SlopePhysics: 3.3× faster, see make bench).
let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "landslide-harness",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "landslide", targets: ["landslide"]),
        .library(name: "GeoRaster", targets: ["GeoRaster"]),
        .library(name: "Terrain", targets: ["Terrain"]),
        .library(name: "Reliability", targets: ["Reliability"]),
        .library(name: "SlopePhysics", targets: ["SlopePhysics"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "Susceptibility", targets: ["Susceptibility"]),
        .library(name: "Charts", targets: ["Charts"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "StudyCore", targets: ["StudyCore"]),
        .library(name: "Stages", targets: ["Stages"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // System libraries: a module map and shim header each; `make deps` installs the providers.
        .systemLibrary(name: "CGDAL", path: "Sources/CGDAL", pkgConfig: "gdal",
                       providers: [.apt(["libgdal-dev"])]),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", path: "Sources/CLAPACKE", pkgConfig: "lapacke",
                       providers: [.apt(["liblapacke-dev"])]),

        // Core library.
        .target(name: "WorkerThreads", swiftSettings: strict),
        .target(name: "GeoRaster", dependencies: ["CGDAL", "WorkerThreads"], swiftSettings: strict),
        .target(name: "Randomness", swiftSettings: strict),
        .target(name: "Terrain", dependencies: ["GeoRaster", "Randomness"], swiftSettings: strict),
        .target(name: "Reliability", dependencies: ["CLAPACKE", "Randomness"], swiftSettings: strict),
        .target(name: "SlopePhysics", dependencies: ["Terrain", "Reliability", "GeoRaster"], swiftSettings: strict),
        .target(name: "Imaging", dependencies: ["GeoRaster"], swiftSettings: strict),
        .target(name: "Susceptibility", dependencies: ["GeoRaster", "Imaging", "Terrain", "Randomness", "CLAPACKE"],
                swiftSettings: strict),
        .target(name: "SummaryStatistics", swiftSettings: strict),
        .target(name: "Charts", dependencies: ["CCairo", "SummaryStatistics"], swiftSettings: strict),
        .target(name: "NeuralNet", dependencies: ["CBLAS", "CLAPACKE", "Randomness", "WorkerThreads"], swiftSettings: strict),
        // The study layer, along DESIGN.md's data flow: what a study is (StudyCore), the stages that run
        // on it (Stages), the synthetic study (Twin), and the published numbers everything compares with.
        .target(name: "PublishedNumbers", dependencies: [.product(name: "Yams", package: "Yams")],
                path: "Experiments/published", resources: [.copy("published.yaml"), .copy("coverage.yaml")], swiftSettings: strict),
        .target(name: "StudyCore",
                dependencies: ["GeoRaster", "Terrain", "Reliability", "SlopePhysics", "Randomness", "SummaryStatistics",
                               .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
        .target(name: "Stages",
                dependencies: ["StudyCore", "SummaryStatistics", "GeoRaster", "Terrain", "Reliability", "SlopePhysics",
                               "Randomness", "Susceptibility", "NeuralNet"],
                swiftSettings: strict),
        .target(name: "Twin",
                dependencies: ["StudyCore", "PublishedNumbers", "GeoRaster", "Terrain", "SlopePhysics", "Randomness",
                               "SummaryStatistics", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),

        // The command-line tool.
        .executableTarget(name: "landslide",
                          dependencies: ["StudyCore", "Stages", "Twin", "PublishedNumbers", "GeoRaster", "Terrain", "Susceptibility", "NeuralNet",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),

        // Fuzz targets of the file readers: `make fuzz` builds them with libFuzzer; the normal build
        // replays files through them (make test runs the corpus and every crash found).
        .executableTarget(name: "landslide-fuzz", dependencies: ["StudyCore", "Stages", "SlopePhysics", "GeoRaster"],
                          path: "Fuzz/landslide-fuzz", swiftSettings: strict),

        // Experiments: ExperimentKit holds the pipelines; each executable is a thin command over it.
        .target(name: "ExperimentKit",
                dependencies: ["StudyCore", "Stages", "PublishedNumbers", "Charts", "GeoRaster", "Terrain", "SlopePhysics",
                               "Susceptibility", "NeuralNet", "Randomness", "SummaryStatistics",
                               .product(name: "ArgumentParser", package: "swift-argument-parser"),
                               .product(name: "Yams", package: "Yams")],
                path: "Experiments/ExperimentKit", swiftSettings: strict),
        .executableTarget(name: "gallery",
                          dependencies: ["Charts", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Experiments/gallery", swiftSettings: strict),
        .executableTarget(name: "ablate", dependencies: ["ExperimentKit", "StudyCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                                        .product(name: "Ink", package: "Ink")],
                          path: "Experiments/ablate", swiftSettings: strict),
        .executableTarget(name: "model-comparison", dependencies: ["ExperimentKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Experiments/model-comparison", swiftSettings: strict),
        .executableTarget(name: "paper-audit", dependencies: ["ExperimentKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Experiments/paper-audit", swiftSettings: strict),
        .executableTarget(name: "cov-sweep", dependencies: ["ExperimentKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Experiments/cov-sweep", swiftSettings: strict),
        .executableTarget(name: "correlation-grid", dependencies: ["ExperimentKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Experiments/correlation-grid", swiftSettings: strict),
        .executableTarget(name: "sampler-comparison", dependencies: ["ExperimentKit", "Stages", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Experiments/sampler-comparison", swiftSettings: strict),
        .executableTarget(name: "network-comparison", dependencies: ["ExperimentKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Experiments/network-comparison", swiftSettings: strict),
        .executableTarget(name: "structure-sensitivity", dependencies: ["ExperimentKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Experiments/structure-sensitivity", swiftSettings: strict),

        // The literate write-up: results JSON + paper/*.mustache → paper/build/paper.md and .html.
        .executableTarget(name: "paper-build",
                          dependencies: ["PublishedNumbers", "SummaryStatistics", .product(name: "Mustache", package: "swift-mustache"),
                                         .product(name: "Ink", package: "Ink"),
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Experiments/paper-build", swiftSettings: strict),

        // Benchmarks (`make bench`): release builds, side by side with peer tools; each writes its
        // speed-target rows (`--targets DIR`) and bench-table prints them as one table.
        .target(name: "BenchTargets", path: "Benchmarks/BenchTargets", swiftSettings: strict),
        .executableTarget(name: "bench-table", dependencies: ["BenchTargets"], path: "Benchmarks/BenchTable", swiftSettings: strict),

        .executableTarget(name: "terrain-bench", dependencies: ["Terrain", "GeoRaster", "NeuralNet", "BenchTargets"],
                          path: "Benchmarks/TerrainBench", swiftSettings: strict),

        .executableTarget(name: "form-bench", dependencies: ["StudyCore", "Stages", "SlopePhysics", "Reliability", "Randomness", "NeuralNet", "BenchTargets"],
                          path: "Benchmarks/FormBench", swiftSettings: strict),

        .executableTarget(name: "classify-bench", dependencies: ["Susceptibility", "Imaging", "Randomness", "NeuralNet", "BenchTargets"],
                          path: "Benchmarks/ClassifyBench", swiftSettings: strict),

        .executableTarget(name: "nn-bench", dependencies: ["NeuralNet", "Randomness", "BenchTargets"],
                          path: "Benchmarks/NeuralNetBench", swiftSettings: strict),

        .executableTarget(name: "chart-bench", dependencies: ["Charts"],
                          path: "Benchmarks/ChartBench", swiftSettings: strict),

        // Tests: one target per core module, the CLI end to end, and the C libraries' linkage.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "GeoRasterTests", dependencies: ["GeoRaster", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness"], exclude: ["Fixtures"],
                    swiftSettings: strict),
        .testTarget(name: "ReliabilityTests", dependencies: ["Reliability", "Randomness", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "SlopePhysicsTests", dependencies: ["SlopePhysics", "Reliability", "Terrain", "GeoRaster", "StudyCore", "Stages", "Randomness", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "SummaryStatisticsTests", dependencies: ["SummaryStatistics"], swiftSettings: strict),
        .testTarget(name: "SusceptibilityTests", dependencies: ["Susceptibility", "Randomness", "TestSupport"], exclude: ["Fixtures"],
                    swiftSettings: strict),
        .testTarget(name: "TerrainTests", dependencies: ["Terrain", "GeoRaster", "TestSupport"],
                    exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "StudyTests", dependencies: ["StudyCore", "Stages", "Reliability", "SlopePhysics", "Susceptibility", "Twin", "ExperimentKit", "PublishedNumbers", "GeoRaster", "NeuralNet", "Randomness", "TestSupport"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "LandslideCLITests", dependencies: ["landslide", "landslide-fuzz", "Twin", "PublishedNumbers", "GeoRaster", "Terrain", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Randomness", "TestSupport"],
                    exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "TestSupport"], exclude: ["Golden"],
                    swiftSettings: strict),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CCairo", "CBLAS", "CLAPACKE"],
                    swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
