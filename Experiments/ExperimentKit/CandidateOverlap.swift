/// How a sampler's candidate cells relate to the random sampler's (issue G2: a sampler that excludes
/// nothing *is* the random sampler with another draw, and results must say so).
public struct CandidateOverlap: Codable, Sendable, Equatable {
    public var candidateCells: Int
    /// Candidates the random sampler also has.
    public var sharedWithRandom: Int
    /// Random-sampler candidates this sampler excludes (0: it excludes nothing).
    public var randomCellsExcluded: Int
    /// The same cells as the random sampler's.
    public var equalsRandom: Bool

    public init(_ candidates: [Bool], random: [Bool]) {
        var n = 0, shared = 0, excluded = 0
        for (c, r) in zip(candidates, random) {
            if c { n += 1 }
            if c && r { shared += 1 }
            if r && !c { excluded += 1 }
        }
        candidateCells = n; sharedWithRandom = shared; randomCellsExcluded = excluded
        equalsRandom = excluded == 0 && shared == n
    }

    /// The sentence results and the paper print for a sampler that degenerates to the random one.
    public func degeneracy(of sampler: String) -> String? {
        guard equalsRandom else { return nil }
        return "\(sampler)'s candidate set equals the random sampler's (\(formatCount(candidateCells)) cells): "
            + "it excludes nothing, so \(sampler) is the random sampler with another draw"
    }
}

/// 158150 → "158,150".
func formatCount(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(ch)
    }
    return out
}
