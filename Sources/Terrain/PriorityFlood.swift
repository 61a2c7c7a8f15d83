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
/// Cost: O(n) pushes and O(32 n) redistribution at worst (radix heap); 1 byte per cell plus the queues.
public enum PriorityFlood {
    /// The DEM with every depression filled to its spill elevation; nodata stays nodata.
    public static func fill(_ dem: Grid<Float>) -> Grid<Float> {
        var out = dem
        fillInPlace(&out)
        return out
    }

    /// Fills `dem` in place (for large grids: no second copy).
    ///
    /// One byte of state per cell holds what the inner loop asks of a neighbour in a single load: bit 0,
    /// closed (visited, or nodata: never visited); bit 1, on the grid's border (its neighbours need
    /// their row and column checked).
    public static func fillInPlace(_ dem: inout Grid<Float>) {
        let rows = dem.rows, cols = dem.cols
        let n = rows * cols
        guard n > 0 else { return }
        let closedBit: UInt8 = 1, borderBit: UInt8 = 2
        var state = [UInt8](repeating: 0, count: n)
        var open = ElevationQueue()
        var pit = FIFOQueue(capacity: 1024)
        var trace: [Int32] = []
        let nodata = dem.nodata ?? .nan
        let dr = D8.rowOffsets, dc = D8.colOffsets
        let deltas = (0..<8).map { dr[$0] * cols + dc[$0] }

        dem.values.withUnsafeMutableBufferPointer { buffer in
            state.withUnsafeMutableBufferPointer { stateBuffer in
            deltas.withUnsafeBufferPointer { deltaBuffer in
                let z = buffer.baseAddress!, st = stateBuffer.baseAddress!, delta = deltaBuffer.baseAddress!
                for i in 0..<n {
                    let v = z[i]
                    if !(v == v && v != nodata) { st[i] = closedBit }
                }
                for col in 0..<cols {
                    st[col] |= borderBit
                    st[(rows - 1) * cols + col] |= borderBit
                }
                for row in 0..<rows {
                    st[row * cols] |= borderBit
                    st[row * cols + cols - 1] |= borderBit
                }
                /// Index of neighbour k of cell c, or −1 outside the grid. Only border cells need their row and
                /// column (a division); the rest use fixed index offsets.
                @inline(__always) func neighbour(_ c: Int, _ k: Int, _ onBorder: Bool) -> Int {
                    if !onBorder { return c &+ delta[k] }
                    let row = c / cols, col = c - row * cols
                    let r = row + dr[k], q = col + dc[k]
                    return r >= 0 && r < rows && q >= 0 && q < cols ? r * cols + q : -1
                }
                // Seeds: the grid border, and valid cells beside nodata.
                for i in 0..<n where st[i] & closedBit == 0 {
                    var edge = st[i] & borderBit != 0
                    if !edge {
                        for k in 0..<8 {
                            let v = z[i &+ delta[k]]
                            if !(v == v && v != nodata) { edge = true; break }
                        }
                    }
                    if edge {
                        st[i] |= closedBit
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
                    let cOnBorder = st[c] & borderBit != 0
                    for k in 0..<8 {
                        let nb = neighbour(c, k, cOnBorder)
                        guard nb >= 0, st[nb] & closedBit == 0 else { continue }
                        st[nb] |= closedBit
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
                            let tOnBorder = st[t] & borderBit != 0
                            var boundary = false
                            for j in 0..<8 {
                                let m = neighbour(t, j, tOnBorder)
                                guard m >= 0, st[m] & closedBit == 0 else { continue }
                                if z[m] > zt {
                                    st[m] |= closedBit
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
    private let buckets = Buckets(count: 33)
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
        buckets.append(UInt64(key) << 32 | UInt64(UInt32(bitPattern: index)), to: bucket(key))
        count += 1
    }

    mutating func pop() -> (Float, Int32)? {
        guard count > 0 else { return nil }
        if buckets.isEmpty(0) {
            var b = 1
            while buckets.isEmpty(b) { b += 1 }
            // Redistribute bucket b below its smallest key (every entry lands in a lower bucket).
            let (entries, n) = buckets.contents(b)
            var smallest = UInt32.max
            for i in 0..<n { smallest = min(smallest, UInt32(entries[i] >> 32)) }
            last = smallest
            for i in 0..<n { buckets.append(entries[i], to: bucket(UInt32(entries[i] >> 32))) }
            buckets.clear(b)
        }
        let e = buckets.removeLast(0)
        count -= 1
        return (Self.float(fromOrdered: UInt32(e >> 32)), Int32(bitPattern: UInt32(truncatingIfNeeded: e)))
    }

    /// The buckets as growable buffers in manually managed memory: a push is a store and an increment,
    /// with no reference counting or uniqueness check of nested arrays (a third of the fill's time).
    final class Buckets {
        private let base: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>?>
        private let counts: UnsafeMutablePointer<Int>
        private let capacities: UnsafeMutablePointer<Int>
        private let n: Int

        init(count: Int) {
            n = count
            base = .allocate(capacity: count); base.initialize(repeating: nil, count: count)
            counts = .allocate(capacity: count); counts.initialize(repeating: 0, count: count)
            capacities = .allocate(capacity: count); capacities.initialize(repeating: 0, count: count)
        }

        deinit {
            for b in 0..<n { base[b]?.deallocate() }
            base.deallocate(); counts.deallocate(); capacities.deallocate()
        }

        @inline(__always) func isEmpty(_ b: Int) -> Bool { counts[b] == 0 }

        @inline(__always) func append(_ e: UInt64, to b: Int) {
            let c = counts[b]
            if c == capacities[b] { grow(b) }
            base[b]![c] = e
            counts[b] = c + 1
        }

        @inline(__always) func removeLast(_ b: Int) -> UInt64 {
            counts[b] -= 1
            return base[b]![counts[b]]
        }

        /// Bucket b's entries (valid until it is next changed) and their number.
        func contents(_ b: Int) -> (UnsafeMutablePointer<UInt64>, Int) { (base[b]!, counts[b]) }

        func clear(_ b: Int) { counts[b] = 0 }

        private func grow(_ b: Int) {
            let capacity = max(64, capacities[b] * 2)
            let bigger = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
            if let old = base[b] {
                bigger.update(from: old, count: counts[b])
                old.deallocate()
            }
            base[b] = bigger
            capacities[b] = capacity
        }
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
