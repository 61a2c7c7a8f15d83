import GeoRaster

/// Depression filling by Priority-Flood (Barnes, Lehman & Mulla 2014, "Priority-Flood: An optimal
/// depression-filling and watershed-labeling algorithm for digital elevation models", Computers &
/// Geosciences 62:117–127), Algorithm 3 ("Priority-Flood + depression filling with a plain queue").
///
/// Every edge cell (on the grid border or beside nodata) seeds a priority queue keyed on elevation.
/// Cells are visited from the lowest open cell inward; a neighbour not above the current cell is in a
/// depression, is raised to the current cell's elevation and goes to a plain FIFO queue (processed
/// first, at no priority-queue cost); a higher neighbour goes to the priority queue. The result is the
/// lowest surface without interior sinks: every valid cell has a non-ascending path to an edge cell.
/// Filled flats are exactly level; ``FlowDirections`` resolves them.
///
/// Ties are broken by cell index, so the visit order, and everything derived from it, is deterministic.
/// Cost: O(n log n) time for the queue, O(n) extra memory (1 bit per cell plus the queues).
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
        var open = ElevationHeap()
        var pit = FIFOQueue(capacity: 1024)

        dem.values.withUnsafeMutableBufferPointer { z in
            let nodata = dem.nodata
            @inline(__always) func valid(_ i: Int) -> Bool {
                let v = z[i]
                return v == v && v != nodata
            }
            // Seed with edge cells: the grid border and cells beside nodata.
            for row in 0..<rows {
                for col in 0..<cols {
                    let i = row * cols + col
                    guard valid(i), isEdgeCell(row, col, rows: rows, cols: cols, valid: valid) else { continue }
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
                let row = c / cols, col = c - row * cols
                let zc = z[c]
                for k in 0..<8 {
                    let r = row + D8.rowOffsets[k], q = col + D8.colOffsets[k]
                    guard r >= 0, r < rows, q >= 0, q < cols else { continue }
                    let nb = r * cols + q
                    guard !closed[nb], valid(nb) else { continue }
                    closed[nb] = true
                    if z[nb] <= zc {
                        z[nb] = zc
                        pit.push(nb)
                    } else {
                        open.push(z[nb], Int32(nb))
                    }
                }
            }
        }
    }
}

/// A binary min-heap of (elevation, cell index), packed into one `UInt64` per entry so that the
/// comparison is a single integer compare: the high 32 bits are the elevation's bits mapped to an
/// order-preserving unsigned integer, the low 32 bits the index (the deterministic tie-breaker).
struct ElevationHeap {
    private var heap: [UInt64] = []

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    /// Maps a float to an unsigned integer with the same order (IEEE 754 total order for non-NaN).
    @inline(__always) static func orderedBits(_ v: Float) -> UInt32 {
        let b = v.bitPattern
        return b & 0x8000_0000 != 0 ? ~b : b | 0x8000_0000
    }

    @inline(__always) static func float(fromOrdered u: UInt32) -> Float {
        Float(bitPattern: u & 0x8000_0000 != 0 ? u & 0x7FFF_FFFF : ~u)
    }

    mutating func push(_ elevation: Float, _ index: Int32) {
        let key = UInt64(Self.orderedBits(elevation)) << 32 | UInt64(UInt32(bitPattern: index))
        heap.append(key)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) >> 1
            guard key < heap[parent] else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = key
    }

    mutating func pop() -> (Float, Int32)? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            var parent = 0
            let count = heap.count
            while true {
                var child = 2 * parent + 1
                guard child < count else { break }
                if child + 1 < count && heap[child + 1] < heap[child] { child += 1 }
                guard heap[child] < last else { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = last
        }
        return (Self.float(fromOrdered: UInt32(top >> 32)), Int32(bitPattern: UInt32(truncatingIfNeeded: top)))
    }
}

/// A growable ring buffer of cell indices.
struct FIFOQueue {
    private var buffer: [Int]
    private var head = 0
    private var tail = 0
    private(set) var count = 0

    init(capacity: Int) { buffer = [Int](repeating: 0, count: max(capacity, 16)) }

    var isEmpty: Bool { count == 0 }

    mutating func push(_ value: Int) {
        if count == buffer.count { grow() }
        buffer[tail] = value
        tail = tail + 1 == buffer.count ? 0 : tail + 1
        count += 1
    }

    mutating func pop() -> Int? {
        guard count > 0 else { return nil }
        let v = buffer[head]
        head = head + 1 == buffer.count ? 0 : head + 1
        count -= 1
        return v
    }

    private mutating func grow() {
        var bigger = [Int](repeating: 0, count: buffer.count * 2)
        for i in 0..<count { bigger[i] = buffer[(head + i) % buffer.count] }
        buffer = bigger
        head = 0
        tail = count
    }
}
