import Dispatch
import Foundation
import WorkerThreads

/// Runs `body` over `0..<count` split into contiguous chunks across the worker threads
/// (``WorkerThreads``: `--threads N` / `LANDSLIDE_THREADS`, else every core).
///
/// Each chunk is a half-open range; results must not depend on how rows are split (every caller
/// writes only to its own rows), so output is identical on 1 or many threads.
///
/// `chunksPerCore` trades scheduling overhead for balance: raise it when the cost per element varies
/// (map-scale FORM, where some cells take ten times as many iterations as others).
public func parallelChunks(_ count: Int, minimumChunk: Int = 16, chunksPerCore: Int = 4, _ body: (Range<Int>) -> Void) {
    let threads = WorkerThreads.count
    let chunks = threads == 1 ? 1 : max(1, min(threads * chunksPerCore, count / max(1, minimumChunk)))
    if chunks == 1 {
        body(0..<count)
        return
    }
    // Callers write disjoint rows only (see above).
    WorkerThreads.forEach(chunks) { k in
        let start = count * k / chunks, end = count * (k + 1) / chunks
        if start < end { body(start..<end) }
    }
}

/// A mutable buffer shared by parallel workers that write disjoint indices.
public struct SharedBuffer<T>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<T>
    @inline(__always) public subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

extension Array {
    /// Calls `body` with a buffer that parallel workers may write at disjoint indices.
    public mutating func withSharedBuffer<R>(_ body: (SharedBuffer<Element>) throws -> R) rethrows -> R {
        try withUnsafeMutableBufferPointer { try body(SharedBuffer(base: $0.baseAddress!)) }
    }
}
