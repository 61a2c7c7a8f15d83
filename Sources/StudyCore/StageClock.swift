import Foundation

/// Wall-clock times as outputs record them. With `SOURCE_DATE_EPOCH` set (the reproducible-builds
/// convention, which also fixes the provenance time) a run is meant to be repeatable byte for byte, so
/// every recorded duration is 0; otherwise it is the elapsed time.
public enum RecordedTime {
    public static let reproducible = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] != nil

    /// Seconds since `start`, or 0 in a reproducible run.
    public static func seconds(since start: Date) -> Double { reproducible ? 0 : Date().timeIntervalSince(start) }

    /// `seconds`, or 0 in a reproducible run.
    public static func recorded(_ seconds: Double) -> Double { reproducible ? 0 : seconds }
}

/// Where an experiment's time goes (issue G7): named stages, each timed every time it runs, printed at
/// the end of every run as one line — `stages: ppm 0.3 s, sampling 0.2 s, training 4 × 9.8 s, maps
/// 4 × 2.1 s, figures 1.2 s` (a stage run k times shows k × its mean) — and kept in each replicate's
/// `stages.json` and the merged `results.json` (`stages`).
///
/// One replicate runs per process, so the clock is the process's (``shared``); stages may be timed
/// from several threads.
public final class StageClock: @unchecked Sendable {
    public struct Stage: Codable, Sendable, Equatable {
        public var name: String
        public var count: Int
        public var seconds: Double
        public init(name: String, count: Int, seconds: Double) {
            self.name = name; self.count = count; self.seconds = seconds
        }
    }

    public static let shared = StageClock()
    private let lock = NSLock()
    private var stages: [Stage] = []

    public init() {}

    /// Runs `body` as one run of stage `name` and adds its wall time.
    @discardableResult
    public func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = Date()
        defer { add(name, seconds: Date().timeIntervalSince(start)) }
        return try body()
    }

    public func add(_ name: String, seconds: Double, count: Int = 1) {
        lock.lock()
        defer { lock.unlock() }
        if let k = stages.firstIndex(where: { $0.name == name }) {
            stages[k].count += count
            stages[k].seconds += RecordedTime.recorded(seconds)
        } else {
            stages.append(Stage(name: name, count: count, seconds: RecordedTime.recorded(seconds)))
        }
    }

    /// The stages in the order they first ran.
    public var recorded: [Stage] {
        lock.lock()
        defer { lock.unlock() }
        return stages
    }

    /// `stages: ppm 0.3 s, training 4 × 9.8 s, …` (the mean per run after "k ×").
    public static func line(_ stages: [Stage], prefix: String = "stages") -> String {
        prefix + ": " + stages.map { s in
            let mean = s.seconds / Double(max(s.count, 1))
            return s.count > 1 ? String(format: "%@ %d × %.1f s", s.name, s.count, mean) : String(format: "%@ %.1f s", s.name, s.seconds)
        }.joined(separator: ", ")
    }

    /// The replicates' stages summed stage by stage (in the order each first appears).
    public static func total(_ runs: [[Stage]]) -> [Stage] {
        let clock = StageClock()
        for stages in runs { for s in stages { clock.add(s.name, seconds: s.seconds, count: s.count) } }
        return clock.recorded
    }
}
