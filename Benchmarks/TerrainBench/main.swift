// Terrain benchmark (issue F2): cells/s of fill, slope/aspect, D8 and accumulation on Loja and on a
// 4096 × 4096 synthetic DEM, side by side in the same run with `gdaldem slope` (whole process) and
// richdem (Python peer), as ratios; and peak memory on a 16,384 × 16,384 DEM (`--memory`).
//
//   terrain-bench [--peer-python PATH] [--out FILE] [--size N] [--memory N]
import BenchTargets
import Foundation
import NeuralNet
import GeoRaster
import Terrain

struct Arguments {
    var peerPython: String?
    var out: String?
    var size = 4096
    var memory: Int?
    var fillCPU: Int?
    var targets: String?
    var lojaDEM = (ProcessInfo.processInfo.environment["LANDSLIDE_DATA_ROOT"] ?? "../shared/data") + "/loja/dem.tif"

    init() {
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let a = args.next() {
            switch a {
            case "--peer-python": peerPython = args.next()
            case "--out": out = args.next()
            case "--size": size = Int(args.next() ?? "") ?? size
            case "--memory": memory = Int(args.next() ?? "")
            case "--fill-cpu": fillCPU = Int(args.next() ?? "")
            case "--loja": lojaDEM = args.next() ?? lojaDEM
            case "--targets": targets = args.next()
            case "-h", "--help":
                print("usage: terrain-bench [--peer-python PATH] [--out FILE] [--size N] [--memory N] [--loja DEM] [--fill-cpu N] [--targets DIR]")
                exit(0)
            default:
                FileHandle.standardError.write(Data("terrain-bench: unknown argument \(a)\n".utf8))
                exit(2)
            }
        }
    }
}

// The process setup `landslide` runs with (freed memory kept for reuse), so the timings are the product's.
Allocation.keepFreedMemory()

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Best wall time of `repeats` runs of `body` (seconds).
func best(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    var fastest = Double.infinity
    for _ in 0..<repeats {
        let t0 = now()
        try body()
        fastest = min(fastest, now() - t0)
    }
    return fastest
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // ru_maxrss is in KiB on Linux
}

func run(_ program: String, _ arguments: [String]) -> (status: Int32, stdout: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [program] + arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return (-1, "") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

struct Row: Codable {
    var grid: String
    var stage: String
    var cells: Int
    var oursSeconds: Double
    var oursMcellsPerS: Double
    var peer: String?
    var peerSeconds: Double?
    var ratio: Double?
    var target: String?
    var met: Bool?
}

func stages(_ dem: Grid<Float>, name: String, repeats: Int, peer: [String: Double]?, peerName: String,
            gdaldemSeconds: Double?) throws -> [Row] {
    let cells = dem.count
    let cell = dem.geoTransform.squareCellSize ?? 10
    var filled = dem
    let fill = best(repeats) { filled = PriorityFlood.fill(dem) }
    let slope = best(repeats) { _ = dem.apply(HornSlope(cellWidth: cell, cellHeight: cell), edges: .nodata) }
    let aspect = best(repeats) { _ = dem.apply(HornAspect(cellWidth: cell, cellHeight: cell), edges: .nodata) }
    let slopeAspect = best(repeats) { _ = dem.hornSlopeAndAspect(cellWidth: cell, cellHeight: cell, edges: .nodata) }
    var directions: FlowDirections?
    let d8 = best(repeats) { directions = FlowDirections(filled) }
    var routing: FlowRouting?
    let accumulation = try best(repeats) {
        routing = try FlowRouting(directions!)
        _ = routing!.accumulationCells()
    }
    func row(_ stage: String, _ seconds: Double, peer: String? = nil, peerSeconds: Double? = nil,
             target: (String, Double)? = nil) -> Row {
        let rate = Double(cells) / seconds / 1e6
        return Row(grid: name, stage: stage, cells: cells, oursSeconds: seconds, oursMcellsPerS: rate, peer: peer,
                   peerSeconds: peerSeconds, ratio: peerSeconds.map { $0 / seconds },
                   target: target.map { "≥ \($0.1) M cells/s" }, met: target.map { rate >= $0.1 })
    }
    return [
        row("fill (priority-flood)", fill, peer: peer.map { _ in peerName }, peerSeconds: peer?["fill"]),
        row("slope", slope, peer: gdaldemSeconds.map { _ in "gdaldem slope (whole process)" }, peerSeconds: gdaldemSeconds),
        row("slope (vs richdem)", slope, peer: peer.map { _ in peerName }, peerSeconds: peer?["slope"]),
        row("slope alone", slope, target: ("slope/aspect", 50)),
        row("aspect alone", aspect, target: ("slope/aspect", 50)),
        row("slope + aspect (one pass, 2 layers)", slopeAspect),
        row("D8 directions", d8),
        row("order + accumulation", accumulation),
        row("D8 + accumulation (vs richdem)", d8 + accumulation, peer: peer.map { _ in peerName },
            peerSeconds: peer?["d8_accumulation"]),
        row("fill + D8 + accumulation", fill + d8 + accumulation, target: ("fill+D8+acc", 10)),
    ]
}

let arguments = Arguments()

// `--fill-cpu N`: the CPU seconds of Priority-Flood on the N × N fractal DEM, best of 3 (on a shared
// machine the process's CPU time moves far less than the wall clock).
if let n = arguments.fillCPU {
    func cpu() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
    let dem = SyntheticSurface.fractal(rows: n, cols: n, cellSize: 10, seed: 1)
    var bestCPU = Double.infinity, checksum = 0.0
    for _ in 0..<3 {
        let c0 = cpu()
        let filled = PriorityFlood.fill(dem)
        bestCPU = min(bestCPU, cpu() - c0)
        checksum = filled.values.reduce(0) { $0 + Double($1) }
    }
    print(String(format: "fill %d × %d: %.3f s of CPU (%.2f M cells/s of CPU); checksum %.6e", n, n, bestCPU,
                 Double(n * n) / bestCPU / 1e6, checksum))
    exit(0)
}
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("terrain-bench-\(getpid())")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }

if let n = arguments.memory {
    // Peak memory of the hydrology pipeline on an n × n DEM, against 3 × its Float32 size.
    let demMiB = Double(n * n * 4) / 1_048_576
    var dem: Grid<Float>? = SyntheticSurface.fractal(rows: n, cols: n, cellSize: 10, seed: 1)
    let afterDEM = peakRSSMiB()
    let t0 = now()
    PriorityFlood.fillInPlace(&dem!)
    let afterFill = peakRSSMiB()
    let directions = FlowDirections(dem!)
    dem = nil  // routing and accumulation need only the directions
    let afterD8 = peakRSSMiB()
    let routing = try FlowRouting(directions)
    let afterOrder = peakRSSMiB()
    let cells = routing.accumulationCells()
    let afterAccumulation = peakRSSMiB()
    let seconds = now() - t0
    print(String(format: "memory: %d × %d DEM (Float32 %.0f MiB); peak RSS after DEM %.0f, fill %.0f, D8 %.0f, order %.0f, accumulation %.0f MiB",
                 n, n, demMiB, afterDEM, afterFill, afterD8, afterOrder, afterAccumulation))
    print(String(format: "memory: peak %.2f × the DEM's Float32 size (target ≤ 3); fill + D8 + order + accumulation %.1f s (%.2f M cells/s); outlet sum check %d",
                 afterAccumulation / demMiB, seconds, Double(n * n) / seconds / 1e6, cells.values.max() ?? 0))
    exit(0)
}

var rows: [Row] = []
var notes: [String] = []

@MainActor func peerTimings(_ path: String, repeats: Int) -> [String: Double]? {
    guard let python = arguments.peerPython else { return nil }
    let script = "Benchmarks/peers/terrain_peer.py"
    let result = run(python, [script, path, String(repeats)])
    guard result.status == 0, let line = result.stdout.split(separator: "\n").last,
          let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let stages = json["stages"] as? [String: Double] else {
        notes.append("richdem peer failed on \(path) (status \(result.status))")
        return nil
    }
    return stages
}

func gdaldemSlope(_ path: String, repeats: Int) -> Double? {
    let out = scratch.appendingPathComponent("gdaldem_slope.tif").path
    var fastest = Double.infinity
    for _ in 0..<repeats {
        let t0 = now()
        guard run("gdaldem", ["slope", path, out, "-q"]).status == 0 else { return nil }
        fastest = min(fastest, now() - t0)
    }
    return fastest
}

// Loja.
if FileManager.default.fileExists(atPath: arguments.lojaDEM) {
    let loja = try RasterIO.read(arguments.lojaDEM, as: Float.self)
    FileHandle.standardError.write(Data("bench: Loja \(loja.cols) × \(loja.rows)\n".utf8))
    rows += try stages(loja, name: "Loja 383×415", repeats: 10, peer: peerTimings(arguments.lojaDEM, repeats: 10),
                       peerName: "richdem", gdaldemSeconds: gdaldemSlope(arguments.lojaDEM, repeats: 5))
} else {
    notes.append("Loja DEM not found at \(arguments.lojaDEM); skipped")
}

// Synthetic.
let n = arguments.size
FileHandle.standardError.write(Data("bench: generating a \(n) × \(n) fractal DEM\n".utf8))
let synthetic = SyntheticSurface.fractal(rows: n, cols: n, cellSize: 10, seed: 1, crs: try CRS(epsg: 32717))
let syntheticPath = scratch.appendingPathComponent("synthetic.tif").path
try RasterIO.writeGeoTIFF(synthetic, to: syntheticPath)
FileHandle.standardError.write(Data("bench: timing stages on \(n) × \(n)\n".utf8))
rows += try stages(synthetic, name: "synthetic \(n)²", repeats: 2, peer: peerTimings(syntheticPath, repeats: 2),
                   peerName: "richdem", gdaldemSeconds: gdaldemSlope(syntheticPath, repeats: 2))
if arguments.peerPython == nil { notes.append("no Python peer given (--peer-python); richdem columns empty") }

// Report.
print("Terrain benchmark, \(ProcessInfo.processInfo.activeProcessorCount) cores; ratio = peer time / our time (> 1: we are faster)")
print("grid".padding(toLength: 16, withPad: " ", startingAt: 0) + "stage".padding(toLength: 33, withPad: " ", startingAt: 0)
      + "ours s     M cells/s   peer                             peer s     ratio   target")
for r in rows {
    let peerText = (r.peer ?? "—").padding(toLength: 32, withPad: " ", startingAt: 0)
    let peerSeconds = r.peerSeconds.map { String(format: "%9.4f", $0) } ?? "        —"
    let ratio = r.ratio.map { String(format: "%7.2f×", $0) } ?? "       —"
    let target = r.target.map { "\($0) \(r.met! ? "met" : "NOT met")" } ?? ""
    print(r.grid.padding(toLength: 16, withPad: " ", startingAt: 0) + r.stage.padding(toLength: 33, withPad: " ", startingAt: 0)
          + String(format: "%8.4f  %10.2f", r.oursSeconds, r.oursMcellsPerS) + "   " + peerText + " " + peerSeconds + " " + ratio + "  " + target)
}
for note in notes { print("note: \(note)") }
if let out = arguments.out {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    try encoder.encode(["rows": rows]).write(to: URL(fileURLWithPath: out))
}

// The speed-target rows (issue G7), from the synthetic grid: fill at ≥ 1.5 × richdem, and
// fill + D8 + accumulation at ≥ 10 M cells/s.
if let directory = arguments.targets {
    let grid = "synthetic \(n)²"
    let fill = rows.first { $0.grid == grid && $0.stage == "fill (priority-flood)" }!
    let chain = rows.first { $0.grid == grid && $0.stage == "fill + D8 + accumulation" }!
    try TargetTable.write([
        TargetRow(order: 5, work: "priority-flood fill, \(n)²", ours: String(format: "%.2f s", fill.oursSeconds),
                  peer: fill.peerSeconds.map { String(format: "richdem %.2f s", $0) } ?? "richdem unavailable",
                  ratio: fill.ratio, target: "≥ 1.5× richdem", met: (fill.ratio ?? 0) >= 1.5),
        TargetRow(order: 6, work: "fill + D8 + accumulation, \(n)²", ours: String(format: "%.2f M cells/s", chain.oursMcellsPerS),
                  target: "≥ 10 M cells/s", met: chain.oursMcellsPerS >= 10),
    ], name: "terrain", directory: directory)
}
