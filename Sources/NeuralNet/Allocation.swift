#if canImport(Glibc)
import Glibc
#endif

/// How this process takes memory from the system (issue G7).
///
/// The networks allocate activations of 1–30 MB per layer and step (a batch of 256 patches, a map
/// tile's feature maps). glibc hands out blocks that large by `mmap` and returns them on `free`, so
/// every allocation starts on fresh pages that the kernel must fault in and zero one by one: 15 % of
/// a dense map's time in page faults (perf, 300 × 300 benchmark). Keeping freed memory in the heap
/// for reuse removes that: blocks up to 1 GB come from the heap (a dense-map tile's im2col matrix is
/// ~46 MB), and the heap's top is not trimmed back to the system. The process's peak memory does not grow (freed blocks are
/// reused, not added to); its resident size stays at its peak until it exits.
public enum Allocation {
    nonisolated(unsafe) private static var done = false

    /// Applies the settings once (call at the start of a program, before the first large allocation).
    public static func keepFreedMemory() {
        guard !done else { return }
        done = true
        // mallopt(3) is declared in <malloc.h>, which Swift's Glibc module does not import; glibc's
        // parameter numbers are M_TRIM_THRESHOLD = −1 and M_MMAP_THRESHOLD = −3. Without glibc, nothing.
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        _ = mallopt(-3, 1 << 30)
        _ = mallopt(-1, Int32.max)
        #endif
    }
}
