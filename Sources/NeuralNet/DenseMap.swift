import Foundation

/// A stack of co-registered input rasters: `channels` × `rows` × `columns` values (row-major per
/// channel) and a validity mask. Values are expected already normalised.
public struct FactorRaster: Sendable {
    public let channels: Int, rows: Int, columns: Int
    public var values: [Float]
    public var valid: [Bool]
    public init(channels: Int, rows: Int, columns: Int, values: [Float], valid: [Bool]) {
        precondition(values.count == channels * rows * columns && valid.count == rows * columns)
        self.channels = channels; self.rows = rows; self.columns = columns; self.values = values; self.valid = valid
    }

    /// The raster padded by `half` cells on every side, with 0 outside the raster and in invalid
    /// cells (0 is each factor's mean after standardisation): [channels, rows + 2h, columns + 2h].
    public func padded(_ half: Int) -> [Float] {
        let pr = rows + 2 * half, pc = columns + 2 * half
        var out = [Float](repeating: 0, count: channels * pr * pc)
        for ch in 0..<channels { for r in 0..<rows { for c in 0..<columns where valid[r * columns + c] {
            out[(ch * pr + r + half) * pc + c + half] = values[(ch * rows + r) * columns + c]
        } } }
        return out
    }

    /// Patches [n, channels, p, p] centred on `cells` (row-major cell indices), cut from the padded
    /// raster, so a patch is exactly what the dense map sees around its cell.
    public func patches(at cells: [Int], size p: Int) -> Tensor<Float> {
        let half = p / 2, pr = rows + 2 * half, pc = columns + 2 * half
        let padded = padded(half)
        var out = [Float](repeating: 0, count: cells.count * channels * p * p)
        for (k, cell) in cells.enumerated() {
            let r = cell / columns, c = cell % columns
            for ch in 0..<channels { for i in 0..<p { for j in 0..<p {
                out[((k * channels + ch) * p + i) * p + j] = padded[(ch * pr + r + i) * pc + c + j]
            } } }
        }
        return Tensor(shape: [cells.count, channels, p, p], data: out)
    }
}

/// Susceptibility of every cell from a patch CNN without cutting a patch per cell.
///
/// The network is a translation-equivariant trunk (valid convolutions, stride-1 pooling, batch norm
/// in inference mode, ReLU) followed by a dense head on the trunk's s × s output. Run the trunk once
/// over the padded raster; then the head's first dense layer is a convolution with an s × s kernel
/// over the trunk's output, computed as s² GEMMs of the weights for one offset with the feature map
/// shifted by that offset (no im2col of the head's 64·81-long windows). Output equals evaluating the
/// network on each cell's patch (tested to 1e-5 on Loja). Edges and nodata: a patch reaching outside
/// the raster or over a nodata cell sees 0 there (the factor's mean), in both evaluations; invalid
/// cells get NaN. Rows are processed in tiles, two at a time, so memory stays bounded.
public enum DenseMap {
    public enum DenseMapError: Error, CustomStringConvertible {
        case unsupported(String)
        public var description: String { "dense map: \(String(describing: self))" }
    }

    /// P(class 1) per cell (NaN where invalid), row-major.
    /// How the head's first dense layer runs over the trunk's output.
    public enum HeadMethod: String, Sendable, CaseIterable {
        /// s² GEMMs of the weights for one offset with the shifted feature map.
        case shiftedGEMM = "shifted-gemm"
        /// FFT overlap-save: one complex GEMM per frequency (≈ 10× fewer flops for s = 9).
        case fft
    }

    ///
    /// With `rows`, only the internal blocks of rows that meet that range are computed (the rest stay
    /// NaN): a map tile. The blocks are those of the whole map, so the tile's cells equal the whole map's
    /// bit for bit (the FFT's rounding depends on where a cell lies in its block).
    public static func probabilities(_ net: Network<Float>, factors: FactorRaster, tileRows: Int? = nil,
                                     head method: HeadMethod = .fft, rows band: Range<Int>? = nil) throws -> [Float] {
        BLASThreads.useOneThread()
        guard net.inputShape.count == 3, net.inputShape[0] == factors.channels, net.inputShape[1] == net.inputShape[2] else {
            throw DenseMapError.unsupported("network input \(net.inputShape) for \(factors.channels) channels")
        }
        let p = net.inputShape[1], half = p / 2
        guard let firstDense = net.layers.firstIndex(where: { $0 is Dense<Float> }) else {
            throw DenseMapError.unsupported("no dense head")
        }
        let trunk = Array(net.layers[..<firstDense])
        for l in trunk {
            if let pool = l as? MaxPool2D<Float>, pool.strideX != 1 || pool.strideY != 1 {
                throw DenseMapError.unsupported("pooling with stride > 1 breaks translation equivariance")
            }
            if let conv = l as? Conv2D<Float>, conv.padding != .valid {
                throw DenseMapError.unsupported("'same' padding inside the patch differs from the raster's neighbours")
            }
        }
        var featureShape = net.inputShape
        for l in trunk { featureShape = l.outputShape(featureShape) }
        let f = featureShape[0], s = featureShape[1]
        let head = Array(net.layers[firstDense...])
        guard let fc1 = head[0] as? Dense<Float>, fc1.inputs == f * s * s else {
            throw DenseMapError.unsupported("first dense layer does not take the trunk's \(f)×\(s)×\(s) output")
        }
        let hidden = fc1.outputs
        // Weights per offset δ = (dy, dx): packed [hidden × f] so each offset is one GEMM.
        var packed = [Float](repeating: 0, count: method == .shiftedGEMM ? s * s * hidden * f : 0)
        if method == .shiftedGEMM { for h in 0..<hidden { for c in 0..<f { for dy in 0..<s { for dx in 0..<s {
            packed[((dy * s + dx) * hidden + h) * f + c] = fc1.weight.value[h * f * s * s + (c * s + dy) * s + dx]
        } } } } }
        let correlation = method == .fft ? FFTCorrelation(weights: fc1.weight.value, outputs: hidden, channels: f, kernel: s) : nil
        let tileRows = tileRows ?? (correlation.map { 2 * $0.block } ?? 16)
        let rest = Array(head.dropFirst())   // ReLU, Dropout, Dense(hidden → 2), as per-position layers
        let paddedInput = factors.padded(half)
        let pc = factors.columns + 2 * half, pr = factors.rows + 2 * half
        var out = [Float](repeating: .nan, count: factors.rows * factors.columns)
        let tiles = (factors.rows + tileRows - 1) / tileRows
        let blocks = band.map { b in min(tiles, b.lowerBound / tileRows)..<min(tiles, (b.upperBound + tileRows - 1) / tileRows) } ?? 0..<tiles
        out.withUnsafeMutableBufferPointer { op in
            nonisolated(unsafe) let ob = op.baseAddress!
            forEachChunk(blocks.count, chunks: 2) { _, range in
                for tile in range.map({ blocks.lowerBound + $0 }) {
                    let r0 = tile * tileRows, rows = min(tileRows, factors.rows - r0)
                    let inRows = rows + p - 1
                    var tileData = [Float](repeating: 0, count: factors.channels * inRows * pc)
                    for ch in 0..<factors.channels {
                        let src = (ch * pr + r0) * pc, dst = ch * inRows * pc
                        tileData.replaceSubrange(dst..<(dst + inRows * pc), with: paddedInput[src..<(src + inRows * pc)])
                    }
                    var t = Tensor<Float>(shape: [1, factors.channels, inRows, pc], data: tileData)
                    for l in trunk { t = l.infer(t) }
                    let hf = t.shape[2], wf = t.shape[3]          // rows + s − 1, columns + s − 1
                    // The head's hidden layer per position, [positions, hidden]: position q = r · stride + c.
                    let stride: Int
                    var perCell: [Float]
                    if let correlation {
                        // [hidden, rows, columns] from the FFT, transposed with the bias added.
                        let full = correlation.apply(t.data, rows: hf, cols: wf)
                        stride = wf - s + 1
                        perCell = scratch(Float.self, count: rows * stride * hidden)
                        full.withUnsafeBufferPointer { fp in perCell.withUnsafeMutableBufferPointer { pp in
                        fc1.bias.value.withUnsafeBufferPointer { bp in
                            let src = fp.baseAddress!, dst = pp.baseAddress!, bias = bp.baseAddress!
                            let positions = rows * stride
                            for q0 in Swift.stride(from: 0, to: positions, by: 64) {      // blocks of positions stay in cache
                                let q1 = min(positions, q0 + 64)
                                for h in 0..<hidden {
                                    let row = src + h * positions, bh = bias[h]
                                    for q in q0..<q1 { dst[q * hidden + h] = row[q] + bh }
                                }
                            }
                        } } }
                    } else {
                        stride = wf
                        let positions = rows * wf
                        var feat = t.data
                        feat.append(contentsOf: [Float](repeating: 0, count: s * wf + s))   // room for the last shifted view
                        var hid = [Float](repeating: 0, count: hidden * positions)
                        for h in 0..<hidden { for q in 0..<positions { hid[h * positions + q] = fc1.bias.value[h] } }
                        feat.withUnsafeBufferPointer { fp in packed.withUnsafeBufferPointer { wp in hid.withUnsafeMutableBufferPointer { hp in
                            for dy in 0..<s { for dx in 0..<s {
                                Float.gemm(transA: false, transB: false, m: hidden, n: positions, k: f, alpha: 1,
                                           a: wp.baseAddress! + (dy * s + dx) * hidden * f, lda: f,
                                           b: fp.baseAddress! + dy * wf + dx, ldb: hf * wf, beta: 1, c: hp.baseAddress!, ldc: positions)
                            } }
                        } } }
                        perCell = [Float](repeating: 0, count: positions * hidden)
                        for h in 0..<hidden { for q in 0..<positions { perCell[q * hidden + h] = hid[h * positions + q] } }
                    }
                    // The rest of the head per position (ReLU, dropout as identity, the output layer).
                    var z = Tensor<Float>(shape: [perCell.count / hidden, hidden], data: perCell)
                    for l in rest { z = l.infer(z) }
                    let k = z.shape[1]
                    z.data.withUnsafeBufferPointer { zp in
                        for r in 0..<rows { for c in 0..<factors.columns {
                            let cell = (r0 + r) * factors.columns + c
                            guard factors.valid[cell] else { continue }
                            // Softmax of the position's k outputs, stabilised by their maximum; P(class 1).
                            let logits = zp.baseAddress! + (r * stride + c) * k
                            var m = logits[0]
                            for j in 1..<k { m = max(m, logits[j]) }
                            var sum: Float = 0
                            for j in 0..<k { sum += exp(logits[j] - m) }
                            ob[cell] = exp(logits[1] - m) / sum
                        } }
                    }
                }
            }
        }
        return out
    }

    /// The reference: P(class 1) per listed cell by cutting its patch and running the whole network.
    public static func patchByPatch(_ net: Network<Float>, factors: FactorRaster, cells: [Int], batchSize: Int = 256) -> [Float] {
        BLASThreads.useOneThread()
        let p = net.inputShape[1]
        var out: [Float] = []
        out.reserveCapacity(cells.count)
        var start = 0
        while start < cells.count {
            let chunk = Array(cells[start..<min(cells.count, start + batchSize)])
            let probs = net.probabilities(factors.patches(at: chunk, size: p), batchSize: batchSize)
            out += probs.map { Float($0[1]) }
            start += batchSize
        }
        return out
    }
}
