// Chart benchmark (issue F6): a 4000 × 4000 classed susceptibility map (5 classes, nodata outside an
// ellipse, 365 landslide points, legend, scale bar, north arrow) rendered to PNG at 200 dpi and to PDF;
// beside matplotlib (imshow + scatter + legend, savefig at the same size and dpi) in the same run.
// Target: under 2 s per PNG. Ratio = peer time / our time. Best of 3 runs each.
//
//   chart-bench [--peer-python PATH] [--size N]
import Charts
import Foundation

var peerPython: String?
var size = 4000
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let a = arguments.next() {
    switch a {
    case "--peer-python": peerPython = arguments.next()
    case "--size": size = Int(arguments.next() ?? "") ?? size
    default:
        print("usage: chart-bench [--peer-python PATH] [--size N]")
        exit(a == "-h" || a == "--help" ? 0 : 2)
    }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Classes from a smooth surface (the formula Benchmarks/peers/chart_peer.py uses), nodata outside an ellipse.
func classes(_ n: Int) -> [UInt8] {
    var out = [UInt8](repeating: 255, count: n * n)
    for r in 0..<n {
        let y = Double(r) / Double(n)
        for c in 0..<n {
            let x = Double(c) / Double(n)
            guard (x - 0.5) * (x - 0.5) / 0.25 + (y - 0.5) * (y - 0.5) / 0.23 < 1 else { continue }
            let v = 0.5 + 0.25 * sin(9 * x + 2 * y) * cos(7 * y - x) + 0.2 * (y - 0.5)
            out[r * n + c] = UInt8(min(4, max(0, Int(v * 5))))
        }
    }
    return out
}

let t0 = now()
let cls = classes(size)
let cell = 12.5
let grid = MapGrid(columns: size, rows: size, west: 700_000, north: 9_560_000, cellSize: cell, crsName: "EPSG:32717")
var points: [(Double, Double)] = []
var k = 0
while points.count < 365 {
    k += 1
    let c = (k * 7919) % size, r = (k * 104_729) % size
    if cls[r * size + c] == 4 { points.append((grid.west + (Double(c) + 0.5) * cell, grid.north - (Double(r) + 0.5) * cell)) }
}
print(String(format: "Classed map %d × %d (%.1f M cells), %d points; data made in %.2f s", size, size,
             Double(size * size) / 1e6, points.count, now() - t0))
let chart = ClassedMapChart(grid: grid, classes: cls, points: points, title: "Susceptibility (benchmark)")
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chart-bench-\(getpid())").path
try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: dir) }

var ours: [String: Double] = [:]
for ext in ["png", "pdf"] {
    var best = Double.infinity
    for _ in 0..<3 {
        let t = now()
        try chart.render(to: "\(dir)/map.\(ext)", dpi: 200)
        best = min(best, now() - t)
    }
    ours[ext] = best
    let bytes = (try? FileManager.default.attributesOfItem(atPath: "\(dir)/map.\(ext)")[.size] as? Int) ?? 0
    print(String(format: "  ours        %@  %6.3f s  (%.1f MB)%@", ext.uppercased(), best, Double(bytes) / 1e6,
                 ext == "png" ? (best < 2 ? "   target < 2 s: met" : "   target < 2 s: NOT met") : ""))
}

if let python = peerPython {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    let s = chart.preferredSize
    p.arguments = ["Benchmarks/peers/chart_peer.py", String(size), String(s.width), String(s.height), dir]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
    if let r = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
        print("  matplotlib \(r["version"] ?? "?")")
        for ext in ["png", "pdf"] {
            if let t = r[ext] as? Double {
                print(String(format: "  matplotlib  %@  %6.3f s   ratio %.1f×", ext.uppercased(), t, t / ours[ext]!))
            }
        }
    } else {
        print("  matplotlib: unavailable (peer script failed)")
    }
} else {
    print("  matplotlib: not run (no --peer-python; `make bench` sets it up)")
}
