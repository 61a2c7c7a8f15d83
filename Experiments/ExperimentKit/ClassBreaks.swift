import Foundation
import StudyCore

/// What the experiments compute natural breaks on.
package enum ClassBreaks {
    /// At most 20,000 values, an even stride through the map. (Exact breaks of every cell are
    /// affordable — NaturalBreaks takes well under a second for 10⁶ values — so this subsample is a
    /// simplification the experiments keep for now; its breaks differ from the exact ones by far less
    /// than the class widths.)
    package static func sampled(_ v: [Double]) -> [Double] {
        guard v.count > 20_000 else { return v }
        let step = Double(v.count) / 20_000
        return (0..<20_000).map { v[Int(Double($0) * step)] }
    }
}
