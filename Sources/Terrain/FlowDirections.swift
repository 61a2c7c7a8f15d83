import GeoRaster

/// D8 flow directions (O'Callaghan & Mark 1984): each cell drains to the neighbour of steepest
/// descent, the drop divided by the distance between centres (the cell width, height, or the
/// diagonal √(dx² + dy²)). Ties go to the first in ``D8/codes`` order (E, SE, S, SW, W, NW, N, NE).
///
/// **Flats** (cells with no lower neighbour, e.g. filled depressions) are routed toward lower
/// terrain: a breadth-first search from every resolved cell into level neighbours gives each flat cell
/// the direction of a neighbour one step closer to the flat's exit (the "toward lower terrain" gradient
/// of Garbrecht & Martz 1997 and Barnes, Lehman & Mulla 2014, without the away-from-higher term).
/// **Edge cells** (on the border or beside nodata) with no lower neighbour are outlets (code 0).
/// Interior cells left without a direction are sinks, which only an unfilled DEM has; they are counted.
public struct FlowDirections: Sendable {
    /// Direction codes (``D8``), nodata 255.
    public let codes: Grid<UInt8>
    /// Flat cells given a direction by the breadth-first search.
    public let flatCellsResolved: Int
    /// Interior cells with no way down (0 on a filled DEM); they hold code 0 like outlets.
    public let sinks: Int
    /// Outlets: edge cells with no lower neighbour.
    public let outlets: Int

    /// Computes directions on a (normally depression-filled) DEM.
    public init(_ dem: Grid<Float>) {
        let rows = dem.rows, cols = dem.cols
        let dx = abs(dem.geoTransform.pixelWidth), dy = abs(dem.geoTransform.pixelHeight)
        let diagonal = (dx * dx + dy * dy).squareRoot()
        let distances: [Float] = (0..<8).map { k in
            Float(D8.rowOffsets[k] == 0 ? dx : D8.colOffsets[k] == 0 ? dy : diagonal)
        }
        var codes = [UInt8](repeating: D8.nodata, count: rows * cols)
        let nodata = dem.nodata ?? .nan
        let z = dem.values
        let inverseDistances = distances.map { 1 / $0 }
        let deltas = (0..<8).map { D8.rowOffsets[$0] * cols + D8.colOffsets[$0] }
        let rowOffsets = D8.rowOffsets, colOffsets = D8.colOffsets, codeOf = D8.codes
        var outlets = 0, unresolved = 0, resolvedFlats = 0
        z.withUnsafeBufferPointer { zb in
        deltas.withUnsafeBufferPointer { db in inverseDistances.withUnsafeBufferPointer { ib in codeOf.withUnsafeBufferPointer { kb in
        rowOffsets.withUnsafeBufferPointer { rb in colOffsets.withUnsafeBufferPointer { cb in
            nonisolated(unsafe) let zp = zb.baseAddress!, delta = db.baseAddress!, inverse = ib.baseAddress!, code = kb.baseAddress!
            nonisolated(unsafe) let dr = rb.baseAddress!, dc = cb.baseAddress!
            @inline(__always) func isValid(_ v: Float) -> Bool { v == v && v != nodata }
            // Pass 1, in parallel over rows: steepest descent; 0 where there is no lower neighbour.
            codes.withSharedBuffer { out in
                parallelChunks(rows) { range in
                    for row in range {
                        let interiorRow = row > 0 && row < rows - 1
                        for col in 0..<cols {
                            let i = row * cols + col
                            let zc = zp[i]
                            guard isValid(zc) else { continue }
                            var best: Float = 0
                            var bestCode: UInt8 = 0
                            if interiorRow && col > 0 && col < cols - 1 {
                                for k in 0..<8 {
                                    let v = zp[i &+ delta[k]]
                                    guard isValid(v) else { continue }
                                    let gradient = (zc - v) * inverse[k]
                                    if gradient > best { best = gradient; bestCode = code[k] }
                                }
                            } else {
                                for k in 0..<8 {
                                    let r = row + dr[k], q = col + dc[k]
                                    guard r >= 0, r < rows, q >= 0, q < cols else { continue }
                                    let v = zp[r * cols + q]
                                    guard isValid(v) else { continue }
                                    let gradient = (zc - v) * inverse[k]
                                    if gradient > best { best = gradient; bestCode = code[k] }
                                }
                            }
                            out[i] = bestCode
                        }
                    }
                }
            }
            // Pass 2: flats. A cell with code 0 is an outlet when it is an edge cell (on the border or beside
            // nodata), else pending: level ground that the breadth-first search below must route.
            let pendingBit: UInt8 = 1, seededBit: UInt8 = 2
            var flags = [UInt8](repeating: 0, count: rows * cols)
            codes.withUnsafeMutableBufferPointer { ob in flags.withUnsafeMutableBufferPointer { fb in
                let out = ob.baseAddress!, flag = fb.baseAddress!
                for row in 0..<rows {
                    let borderRow = row == 0 || row == rows - 1
                    for col in 0..<cols {
                        let i = row * cols + col
                        guard out[i] == 0 else { continue }
                        var edge = borderRow || col == 0 || col == cols - 1
                        if !edge { for k in 0..<8 where !isValid(zp[i &+ delta[k]]) { edge = true; break } }
                        if edge { outlets += 1 } else { unresolved += 1; flag[i] = pendingBit }
                    }
                }
                guard unresolved > 0 else { return }
                // Seeds: resolved cells (or outlets) level with a pending neighbour, found from the pending
                // side (flats are few; resolved cells are most of the grid). Pending cells are interior.
                for p in 0..<(rows * cols) where flag[p] & pendingBit != 0 {
                    for k in 0..<8 {
                        let nb = p &+ delta[k]
                        if out[nb] != D8.nodata && flag[nb] == 0 && zp[nb] == zp[p] { flag[nb] = seededBit }
                    }
                }
                // Row-major seed order keeps the search deterministic.
                var queue = FIFOQueue(capacity: 1024)
                for i in 0..<(rows * cols) where flag[i] & seededBit != 0 { queue.push(i) }
                while let c = queue.pop() {
                    let row = c / cols, col = c - row * cols
                    let interior = row > 0 && row < rows - 1 && col > 0 && col < cols - 1
                    for k in 0..<8 {
                        let nb: Int
                        if interior { nb = c &+ delta[k] } else {
                            let r = row + dr[k], q = col + dc[k]
                            guard r >= 0, r < rows, q >= 0, q < cols else { continue }
                            nb = r * cols + q
                        }
                        guard flag[nb] & pendingBit != 0, zp[nb] == zp[c] else { continue }
                        flag[nb] &= ~pendingBit
                        // The direction back toward c: the opposite neighbour, (k + 4) mod 8.
                        out[nb] = code[(k + 4) & 7]
                        resolvedFlats += 1
                        queue.push(nb)
                    }
                }
            } }
        } } } } } }
        self.codes = Grid(like: dem, nodata: D8.nodata, values: codes)
        self.receiverOffsets = FlowDirections.receiverOffsets(cols: cols)
        self.flatCellsResolved = resolvedFlats
        self.sinks = unresolved - resolvedFlats
        self.outlets = outlets
    }

    /// The same statistics with other codes (for tests and hand-made networks).
    init(replacing other: FlowDirections, codes: Grid<UInt8>) {
        self.codes = codes
        receiverOffsets = other.receiverOffsets
        flatCellsResolved = other.flatCellsResolved
        sinks = other.sinks
        outlets = other.outlets
    }

    /// The cell that `index` drains to, or `nil` for outlets, sinks and nodata.
    public func receiver(of index: Int) -> Int? {
        let delta = receiverOffsets[Int(codes.values[index])]
        return delta == 0 ? nil : index + delta
    }

    /// Row-major index offset of the receiver for each code (0 for outlet, nodata and non-codes).
    let receiverOffsets: [Int]

    static func receiverOffsets(cols: Int) -> [Int] {
        var table = [Int](repeating: 0, count: 256)
        for k in 0..<8 { table[Int(D8.codes[k])] = D8.rowOffsets[k] * cols + D8.colOffsets[k] }
        return table
    }
}

/// Errors of flow routing.
public enum TerrainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Directions form a cycle: `cells` valid cells never reach an outlet.
    case flowCycle(cells: Int)
    /// A parameter is out of range.
    case invalidParameter(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case let .flowCycle(cells):
            return "flow directions form a cycle: \(cells) cells never reach an outlet; expected a DAG (fill the DEM first)"
        case let .invalidParameter(name, value, expected):
            return "\(name) = \(value) is out of range; expected \(expected)"
        }
    }
}

/// The D8 network as a directed acyclic graph: a topological order of the valid cells (every cell
/// before the cell it drains to, i.e. from ridges to outlets), ready for repeated routing.
///
/// Built by Kahn's algorithm on donor counts, O(n). The order is a reusable value: PRL-STIM routes
/// runoff along it at every time step.
public struct FlowRouting: Sendable {
    public let directions: FlowDirections
    /// Row-major indices of every valid cell, each before its receiver.
    public let order: [Int32]

    /// - Throws: ``TerrainError/flowCycle(cells:)`` when some cells never reach an outlet.
    public init(_ directions: FlowDirections) throws {
        self.directions = directions
        let codes = directions.codes.values
        let offsets = directions.receiverOffsets
        let n = codes.count
        var donors = [UInt8](repeating: 0, count: n)
        var order: [Int32] = []
        var validCount = 0, count = 0
        codes.withUnsafeBufferPointer { cb in offsets.withUnsafeBufferPointer { ob in
            donors.withUnsafeMutableBufferPointer { db in
                let code = cb.baseAddress!, offset = ob.baseAddress!, donor = db.baseAddress!
                for i in 0..<n where code[i] != D8.nodata {
                    validCount += 1
                    let d = offset[Int(code[i])]
                    if d != 0 { donor[i &+ d] &+= 1 }
                }
                order = [Int32](unsafeUninitializedCapacity: validCount) { out, initialized in
                    var tail = 0
                    for i in 0..<n where code[i] != D8.nodata && donor[i] == 0 {
                        out[tail] = Int32(truncatingIfNeeded: i)
                        tail += 1
                    }
                    var head = 0
                    while head < tail {
                        let c = Int(out[head])
                        head += 1
                        let d = offset[Int(code[c])]
                        if d != 0 {
                            let r = c &+ d
                            donor[r] &-= 1
                            if donor[r] == 0 {
                                out[tail] = Int32(truncatingIfNeeded: r)
                                tail += 1
                            }
                        }
                    }
                    // A cycle leaves cells out; the rest of the buffer is zeroed so the array is defined.
                    for i in tail..<validCount { out[i] = 0 }
                    initialized = validCount
                    count = tail
                }
            }
        } }
        guard count == validCount else { throw TerrainError.flowCycle(cells: validCount - count) }
        self.order = order
    }

    /// Sums `weights` (one per cell, row-major) down the network: each cell's total is its own weight
    /// plus the totals of the cells draining to it. Nodata cells get 0.
    public func accumulate(_ weights: [Double]) -> [Double] {
        precondition(weights.count == directions.codes.count, "one weight per cell")
        var total = [Double](repeating: 0, count: weights.count)
        for index in order {
            let c = Int(index)
            total[c] += weights[c]
            if let r = directions.receiver(of: c) { total[r] += total[c] }
        }
        return total
    }

    /// Number of cells draining through each cell, itself included (nodata: −1).
    public func accumulationCells() -> Grid<Int32> {
        let codes = directions.codes.values
        let offsets = directions.receiverOffsets
        var count = [Int32](repeating: -1, count: codes.count)
        count.withUnsafeMutableBufferPointer { tb in codes.withUnsafeBufferPointer { cb in
        offsets.withUnsafeBufferPointer { ob in order.withUnsafeBufferPointer { orderBuffer in
            let total = tb.baseAddress!, code = cb.baseAddress!, offset = ob.baseAddress!
            for index in orderBuffer { total[Int(index)] = 1 }
            for index in orderBuffer {
                let c = Int(index)
                let d = offset[Int(code[c])]
                if d != 0 { total[c &+ d] &+= total[c] }
            }
        } } } }
        return Grid(like: directions.codes, nodata: -1, values: count)
    }
}
