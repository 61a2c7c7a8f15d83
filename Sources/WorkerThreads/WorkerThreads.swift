import Dispatch
import Foundation

/// How many threads the parallel loops of this process use, and a loop that keeps to it.
///
/// `LANDSLIDE_THREADS=N` in the environment (N ≥ 1; every command's `--threads N` sets it before any
/// work starts, and child processes inherit it), else every core. Results never depend on it: the
/// loops split their work in ways fixed by the data, and each piece writes only its own outputs.
public enum WorkerThreads {
    public static let count: Int = {
        if let text = ProcessInfo.processInfo.environment["LANDSLIDE_THREADS"], let n = Int(text), n >= 1 { return n }
        return cores
    }()

    /// The cores the system offers this process.
    public static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Runs `body(i)` for every `i` in `0..<iterations`, on at most ``count`` threads: the calling
    /// thread alone when that is 1; Dispatch's pool (which balances uneven iterations) when every core
    /// may be used; otherwise `count` workers taking the iterations in turn.
    public static func forEach(_ iterations: Int, _ body: (Int) -> Void) {
        let workers = min(iterations, count)
        if workers <= 1 {
            for i in 0..<iterations { body(i) }
            return
        }
        // Callers write disjoint outputs per iteration, so sharing `body` across threads is safe.
        nonisolated(unsafe) let work = body
        if count >= cores {
            DispatchQueue.concurrentPerform(iterations: iterations) { work($0) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < iterations {
                work(i)
                i += workers
            }
        }
    }
}
