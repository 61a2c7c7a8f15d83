import GeoRaster

/// Depression filling by Priority-Flood (Barnes, Lehman & Mulla 2014, "Priority-Flood: An optimal
/// depression-filling and watershed-labeling algorithm for digital elevation models", Computers &
/// Geosciences 62:117–127), in the variant of Zhou, Sun & Fu (2016, "An efficient variant of the
/// Priority-Flood algorithm for filling depressions in raster digital elevation models", Computers &
/// Geosciences 90:87–96).
///
/// Every edge cell (on the grid border or beside nodata) seeds a priority queue keyed on elevation.
/// Cells are visited from the lowest open cell inward. A neighbour not above the current cell is in a
/// depression: it is raised to the current level and goes to a plain FIFO queue (Barnes's Algorithm 3).
/// A higher neighbour is the start of a *trace*: cells reached from it by strictly ascending steps
/// drain through it and can never be raised, so they are closed at once without touching the priority
/// queue (Zhou et al.); only trace cells that have a lower-or-level unvisited neighbour enter the queue.
/// The result is the unique lowest surface without interior sinks: every valid cell has a
/// non-ascending path to an edge cell. Filled flats are exactly level; ``FlowDirections`` routes them.
///
/// Cost: O(n) pushes and O(32 n) redistribution at worst (radix heap); 1 bit per cell plus the queues.
public enum PriorityFlood {
    /// The DEM with every depression filled to its spill elevation; nodata stays nodata.
    public static func fill(_ dem: Grid<Float>) -> Grid<Float> {
        var out = dem
        fillInPlace(&out)
        return out
    }

    /// Fills `dem` in place (for large grids: no second copy).
    public static func fillInPlace(_ dem: inout Grid<Float>) {
        let rows = dem.rows, cols = dem.cols
        let n = rows * cols
        var closed = BitSet(count: n)
        var open = ElevationQueue()
        var pit = FIFOQueue(capacity: 1024)
        var trace: [Int32] = []
        let nodata = dem.nodata ?? .nan
        let dr = D8.rowOffsets, dc = D8.colOffsets
        let deltas = (0..<8).map { dr[$0] * cols + dc[$0] }

        /// Index of neighbour k of cell c, or −1 outside the grid. Only border cells need their row and
        /// column (a division); the rest use fixed index offsets.
        @inline(__always) func neighbour(_ c: Int, _ k: Int, _ onBorder: Bool) -> Int {
            if !onBorder { return c + deltas[k] }
            let row = c / cols, col = c - row * cols
            let r = row + dr[k], q = col + dc[k]
            return r >= 0 && r < rows && q >= 0 && q < cols ? r * cols + q : -1
        }
        var border = BitSet(count: n)
        for col in 0..<cols {
            border[col] = true
            border[(rows - 1) * cols + col] = true
        }
        for row in 0..<rows {
            border[row * cols] = true
            border[row * cols + cols - 1] = true
        }

        dem.values.withUnsafeMutableBufferPointer { buffer in
            let z = buffer.baseAddress!
            @inline(__always) func valid(_ i: Int) -> Bool {
                let v = z[i]
                return v == v && v != nodata
            }
            // Seeds: the grid border, and cells beside nodata.
            for i in 0..<n where valid(i) {
                var edge = border[i]
                if !edge {
                    for k in 0..<8 where !valid(i + deltas[k]) {
                        edge = true
                        break
                    }
                }
                if edge {
                    closed[i] = true
                    open.push(z[i], Int32(i))
                }
            }
            while true {
                let c: Int
                if let p = pit.pop() {
                    c = p
                } else if let (_, index) = open.pop() {
                    c = Int(index)
                } else {
                    break
                }
                let zc = z[c]
                let cOnBorder = border[c]
                for k in 0..<8 {
                    let nb = neighbour(c, k, cOnBorder)
                    guard nb >= 0, !closed[nb], valid(nb) else { continue }
                    closed[nb] = true
                    if z[nb] <= zc {
                        z[nb] = zc
                        pit.push(nb)
                        continue
                    }
                    // Trace the strictly ascending region from nb: it drains through nb and is never
                    // raised; cells of it with a lower or level unvisited neighbour enter the queue.
                    trace.append(Int32(nb))
                    while let t32 = trace.popLast() {
                        let t = Int(t32)
                        let zt = z[t]
                        let tOnBorder = border[t]
                        var boundary = false
                        for j in 0..<8 {
                            let m = neighbour(t, j, tOnBorder)
                            guard m >= 0, !closed[m], valid(m) else { continue }
                            if z[m] > zt {
                                closed[m] = true
                                trace.append(Int32(m))
                            } else {
                                boundary = true
                            }
                        }
                        if boundary { open.push(zt, Int32(t)) }
                    }
                }
            }
        }
    }
}

/// A monotone priority queue of (elevation, cell index): a radix heap (Ahuja, Mehlhorn, Orlin &
/// Tarjan 1990) on 32-bit keys that map elevations to order-preserving unsigned integers.
///
/// Valid because Priority-Flood only pushes keys at or above the last popped key. Push is O(1); a pop
/// that empties bucket 0 redistributes one bucket, each entry moving at most 32 times over its life.
/// Entries with equal keys pop in no particular order, which cannot change the filled surface (it is
/// unique); the queue itself is deterministic for a given push sequence.
struct ElevationQueue {
    /// Bucket b > 0 holds keys whose highest bit differing from `last` is bit b − 1; bucket 0 holds `last`.
    private var buckets: [[UInt64]] = Array(repeating: [], count: 33)
    private var last: UInt32 = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Maps a float to an unsigned integer with the same order (IEEE 754 total order for non-NaN).
    @inline(__always) static func orderedBits(_ v: Float) -> UInt32 {
        let b = v.bitPattern
        return b & 0x8000_0000 != 0 ? ~b : b | 0x8000_0000
    }

    @inline(__always) static func float(fromOrdered u: UInt32) -> Float {
        Float(bitPattern: u & 0x8000_0000 != 0 ? u & 0x7FFF_FFFF : ~u)
    }

    @inline(__always) private func bucket(_ key: UInt32) -> Int {
        key == last ? 0 : 32 - (key ^ last).leadingZeroBitCount
    }

    mutating func push(_ elevation: Float, _ index: Int32) {
        let key = Self.orderedBits(elevation)
        assert(key >= last, "radix heap keys must not decrease below the last pop")
        buckets[bucket(key)].append(UInt64(key) << 32 | UInt64(UInt32(bitPattern: index)))
        count += 1
    }

    mutating func pop() -> (Float, Int32)? {
        guard count > 0 else { return nil }
        if buckets[0].isEmpty {
            var b = 1
            while buckets[b].isEmpty { b += 1 }
            // Take the bucket out (no copy-on-write), redistribute below, and give its storage back.
            var entries: [UInt64] = []
            swap(&entries, &buckets[b])
            var smallest = UInt32.max
            for e in entries { smallest = min(smallest, UInt32(e >> 32)) }
            last = smallest
            for e in entries { buckets[bucket(UInt32(e >> 32))].append(e) }
            entries.removeAll(keepingCapacity: true)
            swap(&entries, &buckets[b])
        }
        let e = buckets[0].removeLast()
        count -= 1
        return (Self.float(fromOrdered: UInt32(e >> 32)), Int32(bitPattern: UInt32(truncatingIfNeeded: e)))
    }
}

/// A growable ring buffer of cell indices (stored as 32-bit integers to halve its memory).
struct FIFOQueue {
    private var buffer: [Int32]
    private var head = 0
    private var tail = 0
    private(set) var count = 0

    init(capacity: Int) { buffer = [Int32](repeating: 0, count: max(capacity, 16)) }

    var isEmpty: Bool { count == 0 }

    mutating func push(_ value: Int) {
        if count == buffer.count { grow() }
        buffer[tail] = Int32(truncatingIfNeeded: value)
        tail = tail + 1 == buffer.count ? 0 : tail + 1
        count += 1
    }

    mutating func pop() -> Int? {
        guard count > 0 else { return nil }
        let v = buffer[head]
        head = head + 1 == buffer.count ? 0 : head + 1
        count -= 1
        return Int(v)
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: 0, count: buffer.count * 2)
        for i in 0..<count { bigger[i] = buffer[(head + i) % buffer.count] }
        buffer = bigger
        head = 0
        tail = count
    }
}
