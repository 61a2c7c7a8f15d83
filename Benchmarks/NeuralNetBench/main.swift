// Neural-network benchmark (issue F5): training throughput of Study A's patch CNN (6 × 17 × 17 input,
// 64 channels, kernel 3, FC 304; SGD with momentum) at batch 64 and 256, and dense-map throughput
// against patch-by-patch evaluation; beside PyTorch (CPU, 2 threads) on the same architecture in the
// same run. Ratios = PyTorch time / our time.
//
//   nn-bench [--torch-python PATH] [--profile] [--quick]
//
// `--profile` prints each layer's forward and backward time at both batch sizes, the convolutions'
// rate on the direct-convolution FLOP count, and what OpenBLAS sgemm reaches on the same cores.
import BenchTargets
import Foundation
import NeuralNet
import Randomness

var torchPython: String? = "/usr/bin/python3"
var perLayer = false
var quick = false
var denseOnly = false
var targetsDirectory: String?
var heads = DenseMap.HeadMethod.allCases
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let a = arguments.next() {
    switch a {
    case "--torch-python": torchPython = arguments.next()
    case "--no-torch": torchPython = nil
    case "--layers", "--profile": perLayer = true
    case "--quick": quick = true
    case "--dense-only": denseOnly = true
    case "--targets": targetsDirectory = arguments.next()
    case "--head":
        guard let h = arguments.next().flatMap(DenseMap.HeadMethod.init(rawValue:)) else {
            print("nn-bench: --head takes one of \(DenseMap.HeadMethod.allCases.map(\.rawValue).joined(separator: ", "))")
            exit(2)
        }
        heads = [h]
    default:
        print("usage: nn-bench [--torch-python PATH | --no-torch] [--profile] [--quick] [--dense-only] [--head fft|shifted-gemm] [--targets DIR]")
        exit(a == "-h" || a == "--help" ? 0 : 2)
    }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

BLASCore.adoptBestCore()
Allocation.keepFreedMemory()
print("OpenBLAS kernels: \(BLASCore.name)" + (BLASCore.isFallback
    ? " (a fallback: this CPU allows \(BLASCore.bestForThisCPU!); rerun without LANDSLIDE_BLAS_CORE=as-is to use those)" : ""))
let channels = 64, kernel = 3, patch = 17, inputChannels = 6
var g = SeededGenerator(seed: 1)
let net: Network<Float> = Models.patchCNN(inputChannels: inputChannels, patch: patch, kernel: kernel, channels: channels,
                                          dropout: 0, generator: &g)
print("Patch CNN: \(inputChannels) × \(patch) × \(patch) input, \(channels) channels, kernel \(kernel), FC 304; \(net.parameterCount) parameters")

var ours: [Int: Double] = [:]
for batch in denseOnly ? [] : [64, 256] {
    let x = Tensor<Float>(shape: [batch, inputChannels, patch, patch], data: (0..<(batch * inputChannels * patch * patch)).map { _ in Float(g.nextNormal()) })
    let labels = (0..<batch).map { $0 % 2 }
    let opt = SGD<Float>(learningRate: 0.005, momentum: 0.9, weightDecay: 1e-4)
    BLASThreads.useOneThread()
    func step() {
        net.zeroGradients()
        let (_, grad) = Loss.softmaxCrossEntropy(net.forward(x, training: true), labels: labels)
        net.backpropagate(grad)
        opt.step(net.parameters)
    }
    step()
    let steps = quick ? 2 : max(3, 2048 / batch)
    let t0 = now()
    for _ in 0..<steps { step() }
    let s = now() - t0
    ours[batch] = Double(steps * batch) / s
    print(String(format: "  ours     training, batch %3d: %8.0f samples/s", batch, ours[batch]!))
    if perLayer {
        // Each layer on its own; the gradient handed to backward is a private copy (so no copy-on-write
        // is timed). Convolutions: 2·O·C·k²·Ho·Wo FLOP per sample forward, twice that backward.
        var t = x
        var convFLOP = 0.0, convSeconds = 0.0
        for layer in net.layers {
            let a = now(); let out = layer.forward(t, training: true); let b = now()
            let dy = Tensor<Float>(shape: out.shape, data: out.data.map { $0 })
            let c = now()
            _ = layer.backward(dy)
            let d = now()
            var rate = ""
            if let conv = layer as? Conv2D<Float> {
                let flop = 2.0 * Double(conv.outChannels * conv.inChannels * conv.kernelHeight * conv.kernelWidth)
                    * Double(out.perSample / conv.outChannels) * Double(batch)
                convFLOP += 3 * flop; convSeconds += (b - a) + (d - c)
                rate = String(format: "  %5.0f / %5.0f GFLOP/s", flop / (b - a) / 1e9, 2 * flop / (d - c) / 1e9)
            }
            print(String(format: "    %-22@ forward %7.2f ms  backward %7.2f ms%@", String(describing: type(of: layer)) as NSString,
                         (b - a) * 1e3, (d - c) * 1e3, rate as NSString))
            t = out
        }
        print(String(format: "    convolutions together: %.0f GFLOP/s on the direct-convolution count", convFLOP / convSeconds / 1e9))
    }
}

if perLayer {
    // OpenBLAS sgemm on the convolution's own shape (O × C·k² by C·k² × 8 samples' positions), one
    // GEMM per core at once, as the layers run it.
    let m = 64, k = 576, n = 8 * 144, reps = 40
    let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
    var cs = [[Float]](repeating: [Float](repeating: 0, count: m * n), count: 2)
    let t0 = now()
    cs.withUnsafeMutableBufferPointer { cp in
        nonisolated(unsafe) let cb = cp.baseAddress!
        DispatchQueue.concurrentPerform(iterations: 2) { core in
            for _ in 0..<reps {
                cb[core].withUnsafeMutableBufferPointer { c in
                    Float.gemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n,
                               beta: 0, c: c.baseAddress!, ldc: n)
                }
            }
        }
    }
    let s = now() - t0
    print(String(format: "  OpenBLAS sgemm %d × %d × %d, one per core on 2 cores: %.0f GFLOP/s", m, n, k,
                 2.0 * Double(2 * reps * m * n * k) / s / 1e9))
}

// Dense map vs patch-by-patch on a 300 × 300 raster (90,000 cells).
let side = quick ? 60 : 300
let raster = FactorRaster(channels: inputChannels, rows: side, columns: side,
                          values: (0..<(inputChannels * side * side)).map { _ in Float(g.nextNormal()) },
                          valid: [Bool](repeating: true, count: side * side))
var denseRate = 0.0
var dense: [Float] = []
var denseSeconds = 0.0
for method in heads {
    let t0 = now()
    let d = try DenseMap.probabilities(net, factors: raster, head: method)
    let s = now() - t0
    print(String(format: "  ours     dense map %d × %d, head %@: %8.0f cells/s (%.2f s)", side, side, method.rawValue as NSString,
                 Double(side * side) / s, s))
    if method == .fft || heads.count == 1 { dense = d; denseSeconds = s; denseRate = Double(side * side) / s }
}
let sample = Array(stride(from: 0, to: side * side, by: quick ? 7 : 23))
let t0 = now()
let perPatch = DenseMap.patchByPatch(net, factors: raster, cells: sample)
let patchSeconds = (now() - t0) * Double(side * side) / Double(sample.count)
let worst = zip(sample, perPatch).map { abs(dense[$0] - $1) }.max()!
print(String(format: "  ours     patch-by-patch %8.0f cells/s; dense (FFT head) speed-up %.1f×; max |dense − patch| %.1e",
             Double(side * side) / patchSeconds, patchSeconds / denseSeconds, worst))
print("  targets: dense ≥ 5 × patch-by-patch: \(patchSeconds / denseSeconds >= 5 ? "met" : "NOT met"); dense ≥ 100,000 cells/s: \(denseRate >= 100_000 ? "met" : "NOT met")")

var torchVersion: String?
var torchRates: [Int: Double] = [:]
if let python = torchPython {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = ["Benchmarks/peers/nn_peer.py", quick ? "quick" : "full"]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    if (try? p.run()) != nil {
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        if let r = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
            print("  PyTorch \(r["version"] ?? "?") (CPU, \(r["threads"] ?? "?") threads)")
            torchVersion = "\(r["version"] ?? "?")"
            for batch in [64, 256] {
                if let rate = r["train_\(batch)"] as? Double {
                    torchRates[batch] = rate
                    print(String(format: "  pytorch  training, batch %3d: %8.0f samples/s   ours/pytorch %.2f× (target ≥ 2)", batch, rate,
                                 ours[batch]! / rate))
                }
            }
            if let rate = r["dense_cells_per_s"] as? Double {
                print(String(format: "  pytorch  patch-by-patch inference: %8.0f cells/s; our dense map / that %.1f×", rate, denseRate / rate))
            }
        } else {
            print("  PyTorch: unavailable (\(python) Benchmarks/peers/nn_peer.py failed; apt install python3-torch)")
        }
    }
}

// The speed-target rows (issue G7): training at ≥ 2 × PyTorch (same network, batch, 2 threads) and
// the dense map at ≥ 100,000 cells/s.
if let directory = targetsDirectory {
    var rows: [TargetRow] = []
    for (order, batch) in [(1, 256), (2, 64)] where !denseOnly {
        let ratio = torchRates[batch].map { ours[batch]! / $0 }
        rows.append(TargetRow(order: order, work: "patch-CNN training, batch \(batch)", ours: "\(grouped(ours[batch]!)) samples/s",
                              peer: torchRates[batch].map { "PyTorch \(torchVersion ?? "?"): \(grouped($0)) samples/s" } ?? "PyTorch unavailable",
                              ratio: ratio, target: "≥ 2× PyTorch", met: (ratio ?? 0) >= 2))
    }
    rows.append(TargetRow(order: 3, work: "dense susceptibility map, \(side) × \(side)", ours: "\(grouped(denseRate)) cells/s",
                          target: "≥ 100,000 cells/s", met: denseRate >= 100_000))
    try TargetTable.write(rows, name: "nn", directory: directory)
}
